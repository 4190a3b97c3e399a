import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PactFile } from './pact-files';
import {
  commitOf,
  pactsAt,
  repoRoot,
  serviceOf,
  serviceRevision,
  services,
  shortHash,
  type Revision,
  type Service,
} from './revisions';
import { isVerified } from './verification-record';

/** Which commit of each service runs where, as recorded after each deployment. */
export type Environments = Readonly<Record<string, Readonly<Partial<Record<Service, string>>>>>;

const environmentsFile = join(repoRoot, 'contracts/environments.json');

export const readEnvironments = (): Environments =>
  existsSync(environmentsFile)
    ? (JSON.parse(readFileSync(environmentsFile, 'utf8')) as Environments)
    : {};

export const recordDeployment = (environment: string, service: Service, revision: string) => {
  const environments = readEnvironments();
  const next = {
    ...environments,
    [environment]: { ...environments[environment], [service]: commitOf(revision) },
  };
  writeFileSync(environmentsFile, `${JSON.stringify(next, null, 2)}\n`);
};

export interface EdgeAnswer {
  readonly consumer: string;
  readonly provider: string;
  readonly verified: boolean;
  readonly reason: string;
}

const label = (revision: Revision) =>
  revision === undefined ? 'working tree' : revision.slice(0, 12);

/**
 * Can `service` at `revision` (undefined: the working tree) run next to the others at the
 * revisions recorded for `environment`? Every pact on an edge that touches it must have been
 * verified by the provider's revision on that edge, for the consumer's pact at its revision. An
 * edge whose other side is not deployed there yet does not hold the deployment back.
 */
export const canIDeploy = (
  service: Service,
  revision: Revision,
  deployed: Readonly<Partial<Record<Service, string>>>,
  environment = 'the environment',
): EdgeAnswer[] => {
  const revisionOf = (other: Service): Revision | null =>
    other === service ? revision : (deployed[other] ?? null);
  const pactsByRevision = new Map<Revision, Map<string, string>>();
  const pactsOfRevision = (at: Revision) => {
    if (!pactsByRevision.has(at)) pactsByRevision.set(at, pactsAt(at));
    return pactsByRevision.get(at)!;
  };
  const answers: EdgeAnswer[] = [];
  const revisions = [revision, ...Object.values(deployed)];
  const names = new Set(revisions.flatMap((at) => [...pactsOfRevision(at).keys()]));
  for (const name of [...names].sort()) {
    const someVersion = revisions
      .map((at) => pactsOfRevision(at).get(name))
      .find((content) => content !== undefined)!;
    const parties = JSON.parse(someVersion) as PactFile;
    const consumer = parties.consumer.name;
    const provider = parties.provider.name;
    const consumerService = serviceOf(consumer);
    const providerService = serviceOf(provider);
    if (!consumerService || !providerService) continue;
    if (consumerService !== service && providerService !== service) continue;
    const consumerAt = revisionOf(consumerService);
    const providerAt = revisionOf(providerService);
    if (consumerAt === null || providerAt === null) {
      const absent = consumerAt === null ? consumerService : providerService;
      answers.push({
        consumer,
        provider,
        verified: true,
        reason: `${absent} is not deployed to ${environment}`,
      });
      continue;
    }
    const content = pactsOfRevision(consumerAt).get(name);
    if (content === undefined) continue; // the consumer at its revision has no such pact
    const row = {
      consumer,
      pact: shortHash(content),
      providerRevision: serviceRevision(providerService, providerAt),
    };
    const verified = isVerified(provider, row);
    answers.push({
      consumer,
      provider,
      verified,
      reason: `${consumer}'s pact at ${label(consumerAt)} (${row.pact}) ${
        verified ? 'was verified' : 'has not been verified'
      } by ${provider} at ${label(providerAt)} (${row.providerRevision})`,
    });
  }
  return answers;
};

export const allServices = Object.keys(services) as Service[];
