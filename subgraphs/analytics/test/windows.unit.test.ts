import { bucketOf, bucketsOf, windowSpec, windowsContaining } from '../src/domain/windows';

const minute = 60_000;
const at = (minutes: number, ms = 0) => minutes * minute + ms;

describe('window specs', () => {
  it('given a sliding size that is a multiple of its slide, when built, then it is accepted', () => {
    const spec = { kind: 'sliding', sizeMs: 5 * minute, slideMs: minute } as const;
    expect(windowSpec(spec)).toBe(spec);
  });

  it('given a sliding size that is not a multiple of its slide, when built, then it is refused', () => {
    expect(() => windowSpec({ kind: 'sliding', sizeMs: 5 * minute, slideMs: 2 * minute })).toThrow(
      "a sliding window's sizeMs (300000) must be a multiple of its slideMs (120000)",
    );
  });

  it('given a size or slide that is not a positive whole number of ms, when built, then it is refused', () => {
    expect(() => windowSpec({ kind: 'tumbling', sizeMs: 0 })).toThrow(/sizeMs must be a positive/);
    expect(() => windowSpec({ kind: 'tumbling', sizeMs: 1.5 })).toThrow(/sizeMs/);
    expect(() => windowSpec({ kind: 'sliding', sizeMs: minute, slideMs: -1 })).toThrow(/slideMs/);
  });
});

describe('windows containing an event', () => {
  const tumbling = windowSpec({ kind: 'tumbling', sizeMs: minute });
  const sliding = windowSpec({ kind: 'sliding', sizeMs: 3 * minute, slideMs: minute });

  it('given tumbling windows, when an event falls inside one, then it is in exactly that one', () => {
    expect(windowsContaining(tumbling, at(7, 30_000))).toEqual([{ start: at(7), end: at(8) }]);
  });

  it('given tumbling windows, when an event is exactly at a boundary, then it is in the window starting there', () => {
    expect(windowsContaining(tumbling, at(8))).toEqual([{ start: at(8), end: at(9) }]);
    expect(windowsContaining(tumbling, at(8) - 1)).toEqual([{ start: at(7), end: at(8) }]);
  });

  it('given sliding windows, when an event falls inside, then it is in size/slide windows, oldest first', () => {
    expect(windowsContaining(sliding, at(7, 30_000))).toEqual([
      { start: at(5), end: at(8) },
      { start: at(6), end: at(9) },
      { start: at(7), end: at(10) },
    ]);
  });

  it('given sliding windows, when an event is exactly at a boundary, then the window ending there is not among them', () => {
    expect(windowsContaining(sliding, at(8))).toEqual([
      { start: at(6), end: at(9) },
      { start: at(7), end: at(10) },
      { start: at(8), end: at(11) },
    ]);
  });

  it('given an event time that is not whole epoch ms, when assigned, then it is refused', () => {
    expect(() => windowsContaining(tumbling, Number.NaN)).toThrow(/whole epoch milliseconds/);
    expect(() => windowsContaining(tumbling, 1.5)).toThrow(/whole epoch milliseconds/);
  });
});

describe('buckets', () => {
  it('given an event, when bucketed, then its bucket starts at or before it, a boundary starting a bucket', () => {
    expect(bucketOf(at(7, 59_999), minute)).toBe(at(7));
    expect(bucketOf(at(8), minute)).toBe(at(8));
  });

  it('given a sliding window, when split into per-minute buckets, then the buckets tile it exactly', () => {
    expect(bucketsOf({ start: at(5), end: at(8) }, minute)).toEqual([at(5), at(6), at(7)]);
  });

  it('given a window not aligned to the buckets, when split, then it is refused rather than overcounted', () => {
    expect(() => bucketsOf({ start: at(5, 30_000), end: at(8) }, minute)).toThrow(/not aligned/);
  });
});
