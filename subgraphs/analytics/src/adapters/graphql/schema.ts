import { gql } from 'graphql-tag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// schema.graphql sits at the package root, three levels above this file in src/ and in dist/
// alike; the supergraph composition reads the same file.
export const typeDefs = gql(
  readFileSync(join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'),
);
