import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pactTexts } from './pact-files';

export const repoRoot = resolve(__dirname, '../../..');

/** The services that deploy on their own, and the pact participants each one is. */
export const services = {
  inventory: ['inventory'],
  order: ['order'],
  payment: ['payment'],
  shipping: ['shipping'],
  analytics: ['analytics', 'analytics-ingest'],
} as const satisfies Record<string, readonly string[]>;

export type Service = keyof typeof services;

export const isService = (name: string): name is Service => Object.hasOwn(services, name);

/** The service a pact participant belongs to; undefined for one that is not deployed (the README). */
export const serviceOf = (participant: string): Service | undefined =>
  (Object.keys(services) as Service[]).find((service) =>
    (services[service] as readonly string[]).includes(participant),
  );

/** A git revision, or undefined for the working tree as it is now. */
export type Revision = string | undefined;

const git = (args: readonly string[], input?: string): string =>
  execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', input, maxBuffer: 64 << 20 });

/**
 * What decides what a service publishes and accepts: its own source and the shared contracts and
 * runtime. Its docs, tests and GraphQL gateway do not change a message.
 */
const sourcesOf = (service: Service) => [
  `subgraphs/${service}/src`,
  'contracts/src',
  'packages/runtime/src',
];

export const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * A service's revision as far as contracts go: a hash of its sources' git blobs, the same for the
 * working tree and for the commit that holds the same files, and unchanged by commits elsewhere.
 */
export const serviceRevision = (service: Service, revision: Revision): string => {
  const paths = sourcesOf(service);
  let blobs: (readonly [file: string, blob: string])[];
  if (revision === undefined) {
    const files = git(['ls-files', '-co', '--exclude-standard', '-z', '--', ...paths])
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(repoRoot, file)));
    const hashes = git(['hash-object', '--stdin-paths'], files.join('\n')).trim().split('\n');
    blobs = files.map((file, i) => [file, hashes[i] ?? ''] as const);
  } else {
    blobs = git(['ls-tree', '-r', '-z', revision, '--', ...paths])
      .split('\0')
      .filter((line) => line !== '')
      .map((line) => {
        const [meta = '', file = ''] = line.split('\t');
        return [file, meta.split(' ')[2] ?? ''] as const;
      });
  }
  if (blobs.length === 0) {
    throw new Error(`${service} has no sources at ${revision ?? 'the working tree'}`);
  }
  const lines = blobs.map(([file, blob]) => `${blob} ${file}`);
  return shortHash(lines.sort().join('\n'));
};

/** The committed pacts at a revision: file name to content. */
export const pactsAt = (revision: Revision): Map<string, string> => {
  if (revision === undefined) return pactTexts();
  const names = git(['ls-tree', '--name-only', revision, 'contracts/pacts/'])
    .split('\n')
    .filter((name) => name.endsWith('.json'));
  return new Map(
    names.map((path) => [
      path.slice('contracts/pacts/'.length),
      git(['show', `${revision}:${path}`]),
    ]),
  );
};

/** The full commit id of a revision, so that what is recorded stays meaningful. */
export const commitOf = (revision: string): string =>
  git(['rev-parse', '--verify', `${revision}^{commit}`]).trim();
