import type { Logger } from './log';
import type { Nats } from './nats';

/** Where a reader of a stream (a projection or a consumer) stands, as the last check saw it. */
export interface Progress {
  readonly name: string;
  /** The stream sequence of the last event it is done with. */
  readonly position: number;
  /** Events waiting for it, as the last check counted them (stream sequences for projections). */
  readonly behind: number | undefined;
  /** Events have been waiting and none was handled for longer than the stall limit. */
  readonly stalled: boolean;
  /** The last failure since it last made progress. */
  readonly error: string | undefined;
}

export interface ProgressWatch {
  /** The reader handled events: the stall clock starts over. */
  advanced(): void;
  /** The reader failed; shown until it makes progress again. */
  failed(error: unknown): void;
  progress(): Progress;
  stop(): void;
}

export interface WatchOptions {
  readonly name: string;
  readonly log: Logger;
  readonly stallMs: number;
  readonly position: () => number;
  /** How many events wait for the reader; read from JetStream. */
  readonly behind: () => Promise<number>;
  /** Renews the reader's feed when it stalled; called once per stall period. */
  readonly renew: () => void;
}

const REFRESH_PERIODS = 10;

/**
 * Watches a reader for the failure nothing else reports: events wait on the stream and the reader
 * handles none, with no error (a subscription lost in a server restart, a pull that never comes
 * back). It logs the stall, renews the feed, and keeps reporting it until progress resumes.
 */
export const watchProgress = (options: WatchOptions): ProgressWatch => {
  const { name, log, stallMs } = options;
  let behind: number | undefined;
  let stalled = false;
  let error: string | undefined;
  let lastProgress = Date.now();
  // Since when events have been waiting; undefined while the reader is caught up.
  let waitingSince: number | undefined;

  const period = Math.max(50, Math.min(1_000, stallMs / 4));
  let lastAsked = Number.NEGATIVE_INFINITY;

  const check = async () => {
    // A reader that handled events within the last period is not stalled. Counting what waits
    // for it costs nats-server a search of the stream's subjects, one per period per reader,
    // which grows with the subjects stored; so while the reader keeps moving, the count (which
    // health shows) is refreshed only every REFRESH_PERIODS periods.
    const asked = Date.now();
    if (asked - lastProgress < period && asked - lastAsked < REFRESH_PERIODS * period) return;
    lastAsked = asked;
    try {
      behind = await options.behind();
    } catch (failure) {
      // NATS is away: the connection's own state says so, and the reader cannot move anyway.
      error = `cannot read its stream: ${failure instanceof Error ? failure.message : String(failure)}`;
      return;
    }
    const now = Date.now();
    if (behind <= 0) {
      waitingSince = undefined;
      return;
    }
    waitingSince ??= now;
    if (now - Math.max(waitingSince, lastProgress) < stallMs) return;
    if (!stalled) {
      log.warn(`${name} stalled: events wait and none was handled; renewing its feed`, {
        position: options.position(),
        behind,
        stalledForMs: now - Math.max(waitingSince, lastProgress),
      });
    }
    stalled = true;
    // Give the renewed feed a whole period before renewing it again.
    lastProgress = now;
    options.renew();
  };

  const timer = setInterval(() => void check(), period);
  timer.unref();

  return {
    advanced: () => {
      lastProgress = Date.now();
      error = undefined;
      if (stalled) log.info(`${name} is making progress again`, { position: options.position() });
      stalled = false;
    },
    failed: (failure) => {
      error = failure instanceof Error ? failure.message : String(failure);
    },
    progress: () => ({ name, position: options.position(), behind, stalled, error }),
    stop: () => clearInterval(timer),
  };
};

/** The stream sequence of the last message on `filter` (wildcards allowed), 0 when none. */
export const lastSequenceOn = async (nats: Nats, stream: string, filter: string) =>
  (await nats.jsm.streams.getMessage(stream, { last_by_subj: filter }))?.seq ?? 0;
