import { assertEpochMs, windowsContaining, type Window, type WindowSpec } from './windows';

/** How far event time has progressed, less the lateness an out-of-order event is allowed. */
export interface Watermark {
  readonly maxEventTime: number | undefined;
  readonly allowedLatenessMs: number;
}

export interface Assignment {
  /** Windows the event counts in. */
  readonly open: Window[];
  /** Windows already closed: the event is counted as late there, never added. */
  readonly late: Window[];
  readonly watermark: Watermark;
}

export const initialWatermark = (allowedLatenessMs: number): Watermark => {
  if (!Number.isSafeInteger(allowedLatenessMs) || allowedLatenessMs < 0) {
    throw new Error(
      `allowedLatenessMs must be a non-negative whole number of milliseconds, got ${allowedLatenessMs}`,
    );
  }
  return { maxEventTime: undefined, allowedLatenessMs };
};

/** Never moves back: an out-of-order event must not reopen windows already emitted. */
export const observe = (w: Watermark, eventTime: number): Watermark => {
  assertEpochMs(eventTime);
  return {
    ...w,
    maxEventTime: w.maxEventTime === undefined ? eventTime : Math.max(w.maxEventTime, eventTime),
  };
};

export const watermarkTime = (w: Watermark): number =>
  w.maxEventTime === undefined ? -Infinity : w.maxEventTime - w.allowedLatenessMs;

export const isClosed = (w: Watermark, window: Window): boolean => watermarkTime(w) >= window.end;

/**
 * The event is judged by the watermark it found, then advances it: every window holding it ends
 * after it, so it never makes itself late. With sliding windows one event can be open in the
 * newer windows and late in the older ones.
 */
export const assign = (w: Watermark, spec: WindowSpec, eventTime: number): Assignment => {
  const windows = windowsContaining(spec, eventTime);
  return {
    open: windows.filter((window) => !isClosed(w, window)),
    late: windows.filter((window) => isClosed(w, window)),
    watermark: observe(w, eventTime),
  };
};
