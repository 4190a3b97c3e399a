import { Supergraph } from '@apollo/federation-internals';
import { parse, validate, type ValidationRule } from 'graphql';
import { readFileSync } from 'node:fs';
import { defaultSupergraphPath } from '../../src/paths';

/** The schema clients see through the gateway: the checked-in supergraph's API schema. */
export const apiSchema = Supergraph.build(readFileSync(defaultSupergraphPath, 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();

/** What `rules` refuse in `query`, as clients would read it. */
export const refusals = (query: string, rules: readonly ValidationRule[]) =>
  validate(apiSchema, parse(query), rules).map(({ message, extensions }) => ({
    message,
    extensions,
  }));
