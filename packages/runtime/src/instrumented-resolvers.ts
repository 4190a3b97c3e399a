import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { histogram, latencyBuckets, timed } from './metrics';
import { inSpan } from './tracing';

type Resolver = (...args: unknown[]) => unknown;

const isFieldMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The operations a subgraph answers: where a request's work starts, so where its span starts. */
const spanned = (type: string, field: string) =>
  type === 'Query' || type === 'Mutation' || field === '__resolveReference';

const resolverSeconds = histogram({
  name: 'orderflow_graphql_resolver_seconds',
  help: 'How long a subgraph took over a root field or an entity lookup, by field and outcome',
  labelNames: ['field', 'outcome'],
  buckets: latencyBuckets,
});

/**
 * The resolvers with each root field and each entity lookup timed, and run in a span of its own
 * as the active span for what they do (commands append under it, reads query the store under it).
 */
export const instrumentedResolvers = (
  resolvers: GraphQLResolverMap<unknown>,
): GraphQLResolverMap<unknown> => {
  const traced: Record<string, unknown> = {};
  for (const [type, fields] of Object.entries(resolvers)) {
    traced[type] = isFieldMap(fields) ? tracedFields(type, fields) : fields;
  }
  return traced as GraphQLResolverMap<unknown>;
};

const tracedFields = (type: string, fields: Record<string, unknown>) => {
  const traced: Record<string, unknown> = {};
  for (const [field, resolver] of Object.entries(fields)) {
    if (!spanned(type, field) || typeof resolver !== 'function') {
      traced[field] = resolver;
      continue;
    }
    const resolve = resolver as Resolver;
    const name = `${type}.${field}`;
    traced[field] = (...args: unknown[]) =>
      timed(
        resolverSeconds,
        (outcome) => ({ field: name, outcome }),
        () => inSpan(name, {}, async () => resolve(...args)),
      );
  }
  return traced;
};
