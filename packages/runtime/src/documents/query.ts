import type { Condition, Direction, FindQuery, OrderBy, Scalar, Where } from './document-store';

export type Operator = 'eq' | 'in' | 'gt' | 'gte' | 'lt' | 'lte';

/** One comparison of a field with a value (or, for `in`, with a list of values). */
export interface Predicate {
  readonly field: string;
  readonly op: Operator;
  readonly value: Scalar | readonly Scalar[];
}

/**
 * "After the cursor" as alternatives, each a conjunction, and a bound on the first sort field that
 * they all imply: redundant logically, it is what lets a store seek the index to the cursor
 * instead of reading every entry before it.
 */
export interface Keyset {
  readonly bound: Predicate;
  readonly alternatives: readonly (readonly Predicate[])[];
}

/** A query as both adapters translate it: `where AND (any of after)`, sorted, limited. */
export interface CompiledQuery {
  readonly where: readonly Predicate[];
  /** The keyset condition "after the cursor", when there is one. */
  readonly after: Keyset | undefined;
  readonly orderBy: readonly (readonly [string, Direction])[];
  readonly limit: number | undefined;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const COLLECTION = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Names reach SQL text and MongoDB paths: only plain identifiers are accepted. */
export const checkField = (field: string): string => {
  if (!FIELD.test(field)) throw new Error(`invalid field name ${JSON.stringify(field)}`);
  return field;
};

export const checkCollection = (name: string): string => {
  if (!COLLECTION.test(name)) throw new Error(`invalid collection name ${JSON.stringify(name)}`);
  return name;
};

const RANGE = ['gt', 'gte', 'lt', 'lte'] as const;

const predicatesOf = (field: string, condition: Condition): Predicate[] => {
  checkField(field);
  if (condition === null || typeof condition !== 'object') {
    return [{ field, op: 'eq', value: condition }];
  }
  if ('in' in condition) return [{ field, op: 'in', value: condition.in }];
  const range = condition as Readonly<Partial<Record<(typeof RANGE)[number], Scalar>>>;
  return RANGE.filter((op) => range[op] !== undefined).map((op) => ({
    field,
    op,
    value: range[op]!,
  }));
};

export const compileWhere = (where: Where = {}): Predicate[] =>
  Object.entries(where).flatMap(([field, condition]) => predicatesOf(field, condition));

/** The sort order with `_id` last, so documents that tie on every sort field keep one order. */
export const fullOrder = (orderBy: OrderBy = {}): [string, Direction][] => {
  const order = Object.entries(orderBy).map(([field, direction]) => {
    checkField(field);
    return [field, direction] as [string, Direction];
  });
  return order.some(([field]) => field === '_id') ? order : [...order, ['_id', 'asc']];
};

/**
 * Keyset pagination: strictly after the cursor in the sort order, as "equal on the first k-1 sort
 * fields and past it on the k-th", for each k. Stable under ties because `_id` ends the order.
 */
const keyset = (
  order: readonly (readonly [string, Direction])[],
  after: Readonly<Record<string, Scalar>>,
): Keyset => {
  const valueOf = (field: string) => {
    if (!(field in after)) throw new Error(`the cursor lacks the sort field ${field}`);
    return after[field]!;
  };
  const [first, direction] = order[0]!;
  return {
    bound: { field: first, op: direction === 'asc' ? 'gte' : 'lte', value: valueOf(first) },
    alternatives: order.map(([field, direction], k) => [
      ...order
        .slice(0, k)
        .map(([equal]) => ({ field: equal, op: 'eq' as const, value: valueOf(equal) })),
      { field, op: direction === 'asc' ? 'gt' : 'lt', value: valueOf(field) },
    ]),
  };
};

export const compileQuery = (query: FindQuery = {}): CompiledQuery => {
  const orderBy = fullOrder(query.orderBy);
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0)) {
    throw new Error(`invalid limit ${query.limit}`);
  }
  return {
    where: compileWhere(query.where),
    after: query.after === undefined ? undefined : keyset(orderBy, query.after),
    orderBy,
    limit: query.limit,
  };
};
