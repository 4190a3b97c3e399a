import { types } from 'node:util';

/**
 * How a log record's fields become JSON. An Error's own properties are mostly not enumerable, so
 * JSON.stringify would write `{}` for it: every Error, wherever it sits in the fields, is turned
 * into a record of what a person needs to find the fault, its stack and what caused it included.
 */

/** Past this nesting a value is cut short: a cause chain or a structure this deep is a bug. */
const MAX_DEPTH = 10;

/** Properties a record names itself or that have their own treatment below. */
const OWN_KEYS = new Set(['name', 'message', 'stack', 'code', 'cause', 'errors', 'originalError']);

/** Errors from another realm (a VM context, jest's sandbox) fail `instanceof Error`. */
const isError = (value: unknown): value is Error =>
  value instanceof Error || types.isNativeError(value);

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** Walks one value; `path` holds the objects it is inside of, to stop at a cycle. */
const loggable = (value: unknown, path: Set<object>, depth: number): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  if (path.has(value)) return '[Circular]';
  const walkable = isError(value) || Array.isArray(value) || isPlainObject(value);
  // Dates, Buffers and class instances are left to JSON.stringify (and pino's safe fallback).
  if (!walkable) return value;
  if (depth > MAX_DEPTH) {
    return isError(value) ? { name: value.name, message: value.message } : '[too deep]';
  }
  path.add(value);
  try {
    if (isError(value)) return errorRecord(value, path, depth);
    if (Array.isArray(value)) return value.map((item) => loggable(item, path, depth + 1));
    return entries(value as Record<string, unknown>, path, depth);
  } finally {
    path.delete(value);
  }
};

const entries = (object: Record<string, unknown>, path: Set<object>, depth: number) => {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) record[key] = loggable(value, path, depth + 1);
  return record;
};

const errorRecord = (error: Error, path: Set<object>, depth: number): Record<string, unknown> => {
  const record: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack !== undefined) record.stack = error.stack;
  // Often a getter or non-enumerable (Node's system errors, NATS' API errors): read it directly.
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' || typeof code === 'number') record.code = code;
  // Whatever else the error carries (errno, syscall, a GraphQLError's path and extensions).
  for (const [key, value] of Object.entries(error)) {
    if (!OWN_KEYS.has(key) && value !== undefined) record[key] = loggable(value, path, depth + 1);
  }
  const { cause, errors, originalError } = error as {
    cause?: unknown;
    errors?: unknown;
    originalError?: unknown;
  };
  // A thrown non-Error (a string, a plain object) is kept as it was thrown.
  if (cause !== undefined) record.cause = loggable(cause, path, depth + 1);
  // AggregateError, and anything else that fails for several reasons at once.
  if (Array.isArray(errors)) record.errors = loggable(errors, path, depth + 1);
  // A GraphQLError wraps what a resolver or a subgraph actually threw.
  if (originalError !== undefined && originalError !== null && originalError !== cause) {
    record.originalError = loggable(originalError, path, depth + 1);
  }
  return record;
};

/**
 * The fields of a log record as JSON can hold them: every Error (at any depth, in arrays, in
 * causes) becomes `{ name, message, stack, code?, cause?, errors?, ...its own properties }`;
 * everything else is kept as it is.
 */
export const loggableFields = (
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> => entries(fields, new Set(), 0);

/** One Error as a log record holds it: what `loggableFields` writes for each. */
export const loggableError = (error: Error): Record<string, unknown> =>
  errorRecord(error, new Set([error]), 0);
