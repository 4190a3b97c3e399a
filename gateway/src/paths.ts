import { resolve } from 'node:path';

/** The gateway package's root, from its compiled (dist/) or source (src/) location. */
export const packageRoot = resolve(__dirname, '..');

export const defaultManifestPath = resolve(packageRoot, 'subgraphs.json');
export const defaultSupergraphPath = resolve(packageRoot, 'supergraph.graphql');
