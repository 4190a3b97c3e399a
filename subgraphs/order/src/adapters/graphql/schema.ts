import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import gql from 'graphql-tag';

/** The package root is three levels up from both src/adapters/graphql and dist/adapters/graphql. */
export const typeDefs = gql(
  readFileSync(join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'),
);
