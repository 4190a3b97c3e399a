import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerificationResult } from './provider';
import { repoRoot, serviceOf, serviceRevision, shortHash } from './revisions';

/**
 * What a broker would remember, kept in the repository: which pact (by its content's hash) a
 * provider's revision verified. Rows are only ever added.
 */
export interface Verified {
  readonly consumer: string;
  readonly pact: string;
  readonly providerRevision: string;
}

export interface VerificationRecord {
  readonly provider: string;
  readonly verified: readonly Verified[];
}

export const verificationDirectory = join(repoRoot, 'contracts/verifications');

const recordFile = (provider: string) => join(verificationDirectory, `${provider}.json`);

export const readVerifications = (provider: string): VerificationRecord => {
  const file = recordFile(provider);
  if (!existsSync(file)) return { provider, verified: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as VerificationRecord;
};

export const isVerified = (provider: string, row: Verified): boolean =>
  readVerifications(provider).verified.some(
    (known) =>
      known.consumer === row.consumer &&
      known.pact === row.pact &&
      known.providerRevision === row.providerRevision,
  );

/**
 * Records the successful verifications of this working tree. On CI nothing may be written (the
 * clone is thrown away), so a verification that is not recorded yet fails there: the developer
 * who changed the provider or the pact records it by running the tests and commits the record.
 */
export const recordVerified = (results: readonly VerificationResult[]): void => {
  for (const result of results) {
    const provider = serviceOf(result.provider);
    if (result.error || !provider) continue;
    const row: Verified = {
      consumer: result.consumer,
      pact: shortHash(readFileSync(result.file, 'utf8')),
      providerRevision: serviceRevision(provider, undefined),
    };
    if (isVerified(result.provider, row)) continue;
    if (process.env.CI === 'true') {
      throw new Error(
        `${result.provider} verified ${result.consumer}'s pact, but that is not recorded in ` +
          `contracts/verifications/${result.provider}.json: run its pact tests locally ` +
          '(npm test does) and commit the record, which can-i-deploy reads',
      );
    }
    const record = readVerifications(result.provider);
    const verified = [...record.verified, row].sort((a, b) =>
      `${a.consumer} ${a.providerRevision} ${a.pact}`.localeCompare(
        `${b.consumer} ${b.providerRevision} ${b.pact}`,
      ),
    );
    mkdirSync(verificationDirectory, { recursive: true });
    writeFileSync(
      recordFile(result.provider),
      `${JSON.stringify({ ...record, verified }, null, 2)}\n`,
    );
  }
};
