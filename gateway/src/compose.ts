import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'graphql';
import { z } from 'zod';

const Manifest = z.object({
  subgraphs: z
    .array(
      z.object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/), schema: z.string(), url: z.url() }),
    )
    .min(1),
});

export interface SubgraphSource {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

/** Reads the subgraph list and each schema file it names. */
export const readSubgraphs = (manifestPath: string): SubgraphSource[] => {
  const manifest = Manifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return manifest.subgraphs.map(({ name, schema, url }) => ({
    name,
    url,
    sdl: readFileSync(resolve(dirname(manifestPath), schema), 'utf8'),
  }));
};

export class CompositionFailed extends Error {
  override readonly name = 'CompositionFailed';
}

/** Composes the supergraph SDL, or fails with every composition error, each on its own line. */
export const composeSupergraph = (subgraphs: readonly SubgraphSource[]): string => {
  const result = composeServices(
    subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    const lines = result.errors.map((error) => `  ${error.message}`);
    throw new CompositionFailed(`the subgraphs do not compose:\n${lines.join('\n')}`);
  }
  return result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
};
