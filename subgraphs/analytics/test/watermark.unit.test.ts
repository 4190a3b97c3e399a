import {
  assign,
  initialWatermark,
  isClosed,
  observe,
  watermarkTime,
  type Watermark,
} from '../src/domain/watermark';
import { windowSpec } from '../src/domain/windows';

const minute = 60_000;
const at = (minutes: number, ms = 0) => minutes * minute + ms;
const tumbling = windowSpec({ kind: 'tumbling', sizeMs: minute });
const sliding = windowSpec({ kind: 'sliding', sizeMs: 3 * minute, slideMs: minute });

const after = (w: Watermark, ...eventTimes: number[]) => eventTimes.reduce(observe, w);

describe('the watermark', () => {
  it('given no event yet, then it is at -Infinity and closes nothing', () => {
    const w = initialWatermark(10_000);
    expect(watermarkTime(w)).toBe(-Infinity);
    expect(isClosed(w, { start: -minute, end: 0 })).toBe(false);
  });

  it('given events, then it trails the greatest event time by the allowed lateness', () => {
    expect(watermarkTime(after(initialWatermark(10_000), at(5), at(7)))).toBe(at(7) - 10_000);
  });

  it('given an older event after a newer one, then it does not move back', () => {
    const w = after(initialWatermark(10_000), at(7));
    expect(observe(w, at(3))).toEqual(w);
  });

  it('given a watermark exactly at a window end, then the window is closed, and not one ms before', () => {
    const window = { start: at(7), end: at(8) };
    expect(isClosed(after(initialWatermark(10_000), at(8) + 10_000), window)).toBe(true);
    expect(isClosed(after(initialWatermark(10_000), at(8) + 9_999), window)).toBe(false);
  });

  it('given a negative or fractional lateness, then it is refused', () => {
    expect(() => initialWatermark(-1)).toThrow(/allowedLatenessMs/);
    expect(() => initialWatermark(0.5)).toThrow(/allowedLatenessMs/);
  });
});

describe('assigning an event to windows', () => {
  it('given the first event, then its window is open and the watermark starts from it', () => {
    const { open, late, watermark } = assign(initialWatermark(10_000), tumbling, at(7, 5_000));
    expect(open).toEqual([{ start: at(7), end: at(8) }]);
    expect(late).toEqual([]);
    expect(watermark.maxEventTime).toBe(at(7, 5_000));
  });

  it('given an out-of-order event within the lateness, then it lands in its own, still open, window', () => {
    const w = after(initialWatermark(10_000), at(8, 9_999));
    const { open, late, watermark } = assign(w, tumbling, at(7, 50_000));
    expect(open).toEqual([{ start: at(7), end: at(8) }]);
    expect(late).toEqual([]);
    expect(watermark).toEqual(w);
  });

  it('given an event later than the lateness, then its window is late, not open', () => {
    const w = after(initialWatermark(10_000), at(8, 10_000));
    const { open, late, watermark } = assign(w, tumbling, at(7, 59_999));
    expect(open).toEqual([]);
    expect(late).toEqual([{ start: at(7), end: at(8) }]);
    expect(watermark).toEqual(w);
  });

  it('given an event exactly at the boundary the watermark reached, then it opens the window starting there', () => {
    const w = after(initialWatermark(10_000), at(8, 10_000));
    expect(assign(w, tumbling, at(8))).toMatchObject({
      open: [{ start: at(8), end: at(9) }],
      late: [],
    });
  });

  it('given lateness zero, then any event older than a window already passed is late', () => {
    const w = after(initialWatermark(0), at(8));
    expect(assign(w, tumbling, at(8) - 1)).toMatchObject({
      open: [],
      late: [{ start: at(7), end: at(8) }],
    });
    expect(assign(w, tumbling, at(8, 1))).toMatchObject({
      open: [{ start: at(8), end: at(9) }],
      late: [],
    });
  });

  it('given lateness zero, then an out-of-order event inside the current window is still on time', () => {
    const w = after(initialWatermark(0), at(8, 30_000));
    expect(assign(w, tumbling, at(8, 10_000)).late).toEqual([]);
  });

  it('given sliding windows, then an out-of-order event is late in the closed windows and open in the others', () => {
    const w = after(initialWatermark(0), at(9));
    const { open, late } = assign(w, sliding, at(7, 30_000));
    expect(late).toEqual([
      { start: at(5), end: at(8) },
      { start: at(6), end: at(9) },
    ]);
    expect(open).toEqual([{ start: at(7), end: at(10) }]);
  });

  it('given a newer event, then the watermark advances to it', () => {
    const w = after(initialWatermark(10_000), at(7));
    expect(watermarkTime(assign(w, tumbling, at(9)).watermark)).toBe(at(9) - 10_000);
  });
});
