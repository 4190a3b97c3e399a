import { DDSketch } from '@datadog/sketches-js';

// 1% keeps a p99 of 2 s within ±20 ms, finer than the jitter between services, in ~2 KB a bucket.
const relativeAccuracy = 0.01;

const inner = Symbol('DDSketch');

/**
 * A mergeable summary of durations (ms) that answers quantiles within 1% of the true value.
 * Immutable: every function here returns a new sketch and leaves its arguments as they were.
 */
export interface DurationSketch {
  readonly [inner]: DDSketch;
}

/**
 * The JSON-safe form kept per time bucket. Plain numbers rather than the library's protobuf
 * form, which needs protobufjs, an optional peer the library does not install.
 */
export interface StoredSketch {
  /** A reader refuses another accuracy: bins of different widths cannot be merged. */
  readonly relativeAccuracy: number;
  readonly zeroCount: number;
  /** The library's bin key of counts[0]; consecutive keys follow. */
  readonly firstKey: number;
  readonly counts: readonly number[];
}

const wrap = (sketch: DDSketch): DurationSketch => ({ [inner]: sketch });

const copyOf = (sketch: DurationSketch): DDSketch => {
  const copy = new DDSketch({ relativeAccuracy });
  copy.merge(sketch[inner]);
  return copy;
};

export const emptySketch = (): DurationSketch => wrap(new DDSketch({ relativeAccuracy }));

/**
 * Durations only: a negative value is a clock or pairing bug, and the library's merge drops
 * negative values besides.
 */
export const addValue = (sketch: DurationSketch, value: number): DurationSketch => {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`a duration must be a finite number ≥ 0, got ${value}`);
  }
  const next = copyOf(sketch);
  next.accept(value);
  return wrap(next);
};

export const mergeSketches = (a: DurationSketch, b: DurationSketch): DurationSketch => {
  const merged = copyOf(a);
  merged.merge(b[inner]);
  return wrap(merged);
};

export const count = (sketch: DurationSketch): number => sketch[inner].count;

/** The value at rank q·(count − 1), within 1% of it; undefined for an empty sketch. */
export const quantile = (sketch: DurationSketch, q: number): number | undefined => {
  // The library answers NaN for either; a wrong q is a bug, an empty bucket is not.
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile must be within [0, 1], got ${q}`);
  return count(sketch) === 0 ? undefined : sketch[inner].getValueAtQuantile(q);
};

export const toStored = (sketch: DurationSketch): StoredSketch => {
  const { store, zeroCount } = sketch[inner];
  // The library's bins carry spare zeroed room at both ends: keep only the span in use.
  const first = store.bins.findIndex((bin) => bin > 0);
  const last = store.bins.findLastIndex((bin) => bin > 0);
  return {
    relativeAccuracy,
    zeroCount,
    firstKey: first === -1 ? 0 : store.offset + first,
    counts: first === -1 ? [] : store.bins.slice(first, last + 1),
  };
};

export const fromStored = (stored: StoredSketch): DurationSketch => {
  if (stored.relativeAccuracy !== relativeAccuracy) {
    throw new Error(
      `a sketch stored at relative accuracy ${stored.relativeAccuracy} cannot be read at ${relativeAccuracy}`,
    );
  }
  const isCount = (n: number) => Number.isFinite(n) && n >= 0;
  if (!isCount(stored.zeroCount) || !Number.isSafeInteger(stored.firstKey)) {
    throw new Error('a stored sketch has a malformed zeroCount or firstKey');
  }
  const sketch = new DDSketch({ relativeAccuracy });
  // accept() takes weights but no keys: a bin's representative value maps back to its own key.
  stored.counts.forEach((binCount, i) => {
    if (!isCount(binCount)) throw new Error(`a stored sketch has a malformed count: ${binCount}`);
    if (binCount > 0) sketch.accept(sketch.mapping.value(stored.firstKey + i), binCount);
  });
  if (stored.zeroCount > 0) sketch.accept(0, stored.zeroCount);
  return wrap(sketch);
};
