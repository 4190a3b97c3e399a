import {
  addValue,
  count,
  emptySketch,
  fromStored,
  mergeSketches,
  quantile,
  toStored,
  type DurationSketch,
  type StoredSketch,
} from '../src/domain/quantiles';

const accuracy = 0.01;
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sketchOf = (values: readonly number[]): DurationSketch =>
  values.reduce(addValue, emptySketch());

/** The exact answer at the rank DDSketch targets, q·(n − 1), for ascending values. */
const exactQuantile = (ascending: readonly number[], q: number) =>
  ascending[Math.floor(q * (ascending.length - 1))]!;

const expectWithinAccuracy = (estimate: number | undefined, exact: number) => {
  expect(estimate).toBeDefined();
  expect(Math.abs(estimate! - exact)).toBeLessThanOrEqual(accuracy * exact);
};

/** What a document store hands back: the stored form after a trip through JSON. */
const throughJson = (stored: StoredSketch) => JSON.parse(JSON.stringify(stored)) as StoredSketch;

const oneToTenThousand = range(1, 10_000);
const quantiles = [0.5, 0.95, 0.99];

describe('a duration sketch', () => {
  it('given 1..10000, when asked p50, p95 and p99, then each is within 1% of the exact value', () => {
    const sketch = sketchOf(oneToTenThousand);
    expect(count(sketch)).toBe(10_000);
    for (const q of quantiles) {
      expectWithinAccuracy(quantile(sketch, q), exactQuantile(oneToTenThousand, q));
    }
  });

  it('given a skewed distribution, when asked its quantiles, then each is within 1% of the exact value', () => {
    // Latency-like: mostly fast, with a long tail three orders of magnitude out.
    const values = range(1, 5_000).map((i) => Math.round(20 + (i * i) / 1_000));
    const ascending = [...values].sort((a, b) => a - b);
    const sketch = sketchOf(values);
    for (const q of [0, ...quantiles, 1]) {
      expectWithinAccuracy(quantile(sketch, q), exactQuantile(ascending, q));
    }
  });

  it('given two sketches, when merged, then it is the sketch of the union: counts exact, quantiles within 1%', () => {
    const evens = oneToTenThousand.filter((v) => v % 2 === 0);
    const odds = oneToTenThousand.filter((v) => v % 2 === 1);
    const merged = mergeSketches(sketchOf(evens), sketchOf(odds));
    const union = sketchOf(oneToTenThousand);
    expect(count(merged)).toBe(10_000);
    for (const q of quantiles) {
      expect(quantile(merged, q)).toBe(quantile(union, q));
      expectWithinAccuracy(quantile(merged, q), exactQuantile(oneToTenThousand, q));
    }
  });

  it('given a sketch, when added to or merged, then the original is unchanged', () => {
    const original = sketchOf([10, 20, 30]);
    addValue(original, 1_000);
    mergeSketches(original, sketchOf([5_000]));
    expect(count(original)).toBe(3);
    expectWithinAccuracy(quantile(original, 1), 30);
  });

  it('given an empty sketch, then it counts zero, answers no quantile, and merges as an identity', () => {
    const sketch = sketchOf([100, 200]);
    expect(count(emptySketch())).toBe(0);
    expect(quantile(emptySketch(), 0.5)).toBeUndefined();
    expect(toStored(mergeSketches(emptySketch(), sketch))).toEqual(toStored(sketch));
    expect(toStored(mergeSketches(sketch, emptySketch()))).toEqual(toStored(sketch));
  });

  it('given zero durations, then they are counted and answered as zero', () => {
    const sketch = sketchOf([0, 0, 0, 50]);
    expect(count(sketch)).toBe(4);
    expect(quantile(sketch, 0.5)).toBe(0);
  });

  it('given a negative or non-finite duration, or a quantile outside [0, 1], then it is refused', () => {
    expect(() => addValue(emptySketch(), -1)).toThrow(RangeError);
    expect(() => addValue(emptySketch(), Number.NaN)).toThrow(RangeError);
    expect(() => addValue(emptySketch(), Infinity)).toThrow(RangeError);
    expect(() => quantile(emptySketch(), 1.5)).toThrow(RangeError);
    expect(() => quantile(emptySketch(), Number.NaN)).toThrow(RangeError);
  });
});

describe('a stored sketch', () => {
  it('given a sketch, when stored as JSON and read back, then it answers the same counts and quantiles', () => {
    const sketch = sketchOf([0, ...oneToTenThousand]);
    const restored = fromStored(throughJson(toStored(sketch)));
    expect(count(restored)).toBe(count(sketch));
    for (const q of [0, ...quantiles, 1]) expect(quantile(restored, q)).toBe(quantile(sketch, q));
    expect(toStored(restored)).toEqual(toStored(sketch));
  });

  it('given stored buckets, when read back and merged, then they answer like the sketch of all values', () => {
    const merged = [range(1, 3_000), range(3_001, 7_000), range(7_001, 10_000)]
      .map((values) => fromStored(throughJson(toStored(sketchOf(values)))))
      .reduce(mergeSketches, emptySketch());
    expect(count(merged)).toBe(10_000);
    for (const q of quantiles)
      expect(quantile(merged, q)).toBe(quantile(sketchOf(oneToTenThousand), q));
  });

  it('given an empty sketch, when stored and read back, then it is still empty', () => {
    const stored = toStored(emptySketch());
    expect(stored).toEqual({ relativeAccuracy: accuracy, zeroCount: 0, firstKey: 0, counts: [] });
    expect(count(fromStored(stored))).toBe(0);
  });

  it('given a sketch stored at another accuracy, when read, then it is refused', () => {
    const stored = { ...toStored(sketchOf([1, 2, 3])), relativeAccuracy: 0.02 };
    expect(() => fromStored(stored)).toThrow(/relative accuracy 0.02/);
  });

  it('given a stored sketch with a malformed count, when read, then it is refused', () => {
    const stored = toStored(sketchOf([1, 2, 3]));
    expect(() => fromStored({ ...stored, counts: [1, -1] })).toThrow(/malformed count/);
    expect(() => fromStored({ ...stored, zeroCount: Number.NaN })).toThrow(/malformed/);
  });
});
