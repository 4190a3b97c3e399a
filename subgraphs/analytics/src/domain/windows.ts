/** A half-open event-time interval [start, end) in epoch ms, aligned to the epoch. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly sizeMs: number }
  | { readonly kind: 'sliding'; readonly sizeMs: number; readonly slideMs: number };

const assertPositiveMs = (name: string, value: number): void => {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number of milliseconds, got ${value}`);
  }
};

// Non-integer or non-finite times would silently produce misaligned or NaN windows.
export const assertEpochMs = (eventTime: number): void => {
  if (!Number.isSafeInteger(eventTime)) {
    throw new Error(`an event time must be whole epoch milliseconds, got ${eventTime}`);
  }
};

/** Checks a spec once, where it is configured, so that window arithmetic can trust it. */
export const windowSpec = (spec: WindowSpec): WindowSpec => {
  assertPositiveMs('sizeMs', spec.sizeMs);
  switch (spec.kind) {
    case 'tumbling':
      return spec;
    case 'sliding':
      assertPositiveMs('slideMs', spec.slideMs);
      // Otherwise an event would fall in a varying number of windows, and per-slide buckets
      // could not add up to a window.
      if (spec.sizeMs % spec.slideMs !== 0) {
        throw new Error(
          `a sliding window's sizeMs (${spec.sizeMs}) must be a multiple of its slideMs (${spec.slideMs})`,
        );
      }
      return spec;
  }
};

const slideOf = (spec: WindowSpec): number => {
  switch (spec.kind) {
    case 'tumbling':
      return spec.sizeMs;
    case 'sliding':
      return spec.slideMs;
  }
};

/** The start of the bucket holding `eventTime`; floor, so that a boundary starts a bucket. */
export const bucketOf = (eventTime: number, bucketMs: number): number => {
  assertEpochMs(eventTime);
  assertPositiveMs('bucketMs', bucketMs);
  return Math.floor(eventTime / bucketMs) * bucketMs;
};

/** Every window of `spec` that holds `eventTime`, oldest first. */
export const windowsContaining = (spec: WindowSpec, eventTime: number): Window[] => {
  const slideMs = slideOf(spec);
  const newestStart = bucketOf(eventTime, slideMs);
  const count = spec.sizeMs / slideMs;
  return Array.from({ length: count }, (_, i) => {
    const start = newestStart - (count - 1 - i) * slideMs;
    return { start, end: start + spec.sizeMs };
  });
};

/** The starts of the buckets that exactly tile `window`, oldest first. */
export const bucketsOf = (window: Window, bucketMs: number): number[] => {
  assertPositiveMs('bucketMs', bucketMs);
  // A bucket straddling an edge would count events from outside the window.
  if (window.start % bucketMs !== 0 || window.end % bucketMs !== 0) {
    throw new Error(
      `window [${window.start}, ${window.end}) is not aligned to ${bucketMs} ms buckets`,
    );
  }
  return Array.from(
    { length: (window.end - window.start) / bucketMs },
    (_, i) => window.start + i * bucketMs,
  );
};
