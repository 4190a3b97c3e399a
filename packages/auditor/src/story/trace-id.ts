/**
 * The trace id of a W3C `traceparent` header (`<version>-<trace id>-<parent id>-<flags>`), or
 * undefined when there is none or it is malformed. An all-zero trace id is invalid by the spec.
 */
export const traceIdOf = (traceparent: string | undefined): string | undefined => {
  const traceId = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}/.exec(
    traceparent?.trim().toLowerCase() ?? '',
  )?.[1];
  return traceId === undefined || /^0+$/.test(traceId) ? undefined : traceId;
};

/** The value of header `name` among a message's headers, whatever the case of its key. */
export const headerValue = (
  headers: Iterable<readonly [string, readonly string[]]> | undefined,
  name: string,
): string | undefined => {
  for (const [key, values] of headers ?? []) {
    if (key.toLowerCase() === name.toLowerCase()) return values[0];
  }
  return undefined;
};
