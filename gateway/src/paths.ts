import { resolve } from 'node:path';

/** The gateway package's root, from its compiled (dist/) or source (src/) location. */
export const packageRoot = resolve(__dirname, '..');

export const defaultManifestPath = resolve(packageRoot, 'subgraphs.json');
export const defaultSupergraphPath = resolve(packageRoot, 'supergraph.graphql');
/** The public API schema as released: what clients may rely on (see src/api-compat.ts). */
export const defaultApiSnapshotPath = resolve(packageRoot, 'public-api.graphql');
