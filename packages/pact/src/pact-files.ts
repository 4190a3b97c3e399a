import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the committed pacts live: beside the schemas, in the contracts package. */
export const pactDirectory = resolve(__dirname, '../../../contracts/pacts');

export const pactFileName = (consumer: string, provider: string): string =>
  `${consumer}-${provider}.json`;

/** The part of a V4 pact file this project reads. */
export interface PactFile {
  readonly consumer: { readonly name: string };
  readonly provider: { readonly name: string };
  readonly interactions: readonly PactInteraction[];
}

export interface PactInteraction {
  readonly type: string;
  readonly description: string;
  readonly providerStates?: readonly { readonly name: string }[];
  readonly contents?: { readonly content?: unknown };
}

export const readPact = (file: string): PactFile =>
  JSON.parse(readFileSync(file, 'utf8')) as PactFile;

/** The pact files in the working tree, by name. */
const pactFiles = (directory = pactDirectory): string[] =>
  (existsSync(directory) ? readdirSync(directory) : []).filter((name) => name.endsWith('.json'));

/** The committed pacts as the working tree has them: file name to content. */
export const pactTexts = (): Map<string, string> =>
  new Map(pactFiles().map((name) => [name, readFileSync(join(pactDirectory, name), 'utf8')]));

/** The committed pacts in which `provider` is the provider, with their paths. */
export const pactsOf = (provider: string, directory = pactDirectory) =>
  pactFiles(directory)
    .map((name) => ({ file: join(directory, name), pact: readPact(join(directory, name)) }))
    .filter(({ pact }) => pact.provider.name === provider);
