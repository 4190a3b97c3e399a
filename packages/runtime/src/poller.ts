import type { Envelope } from '@orderflow/contracts';
import type { Logger } from './log';

/**
 * Work that falls due with time: a saga step's deadline, a simulated delivery. What is due is
 * read from a read model derived from the log, so it survives restarts; handling it runs a
 * command whose decider checks again, so a stale read or two replicas polling at once is harmless.
 */
export interface PollerSpec {
  readonly name: string;
  /**
   * The longest the poller sleeps. With `wakeOn` this is only the backstop for what no event in
   * this process announced: work due across a restart, or announced before a read model rebuild.
   */
  readonly intervalMs: number;
  /** The ids of what is due at `now`. */
  readonly due: (now: Date) => Promise<readonly string[]>;
  readonly handle: (id: string, now: Date) => Promise<void>;
  /**
   * Events that say when work falls due (a parcel dispatched, an order entering a waiting
   * status): the poller wakes at that time instead of at its next interval, so a step's latency
   * is its delay, not a poll interval. `projection` names the read model `due` reads; the poller
   * hears of an event once that projection has stored it, so the tick it wakes finds the work.
   */
  readonly wakeOn?: {
    readonly projection: string;
    /** When the work this event starts falls due, in epoch milliseconds; undefined for none. */
    readonly dueAt: (event: Envelope) => number | undefined;
  };
}

export interface RunningPoller {
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The times a poller was told work falls due, earliest first. Due times mostly arrive in order
 * (an event's time plus a fixed delay), so an insertion from the back is all the sorting needed.
 */
export class Alarms {
  private readonly times: number[] = [];
  private earlier: ((at: number) => void) | undefined;

  set(at: number): void {
    let i = this.times.length;
    while (i > 0 && this.times[i - 1]! > at) i--;
    this.times.splice(i, 0, at);
    if (i === 0) this.earlier?.(at);
  }

  earliest(): number | undefined {
    return this.times[0];
  }

  /** Forgets the times up to `now`: the tick that runs at `now` serves them. */
  passed(now: number): void {
    let i = 0;
    while (i < this.times.length && this.times[i]! <= now) i++;
    this.times.splice(0, i);
  }

  /** Told when a time earlier than every other is set. */
  onEarlier(listener: ((at: number) => void) | undefined): void {
    this.earlier = listener;
  }
}

export const runPoller = (spec: PollerSpec, log: Logger, alarms = new Alarms()): RunningPoller => {
  const pollerLog = log.child({ poller: spec.name });
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const intervalEnd = Date.now() + spec.intervalMs;
      let timer: NodeJS.Timeout | undefined;
      // A timer may fire a little before its time: one millisecond more keeps `due(now)` from
      // missing what falls due exactly at the alarm.
      const arm = (at: number) => {
        clearTimeout(timer);
        timer = setTimeout(done, Math.max(0, Math.min(intervalEnd, at + 1) - Date.now()));
      };
      const done = () => {
        clearTimeout(timer);
        alarms.onEarlier(undefined);
        wake = undefined;
        resolve();
      };
      arm(alarms.earliest() ?? intervalEnd);
      alarms.onEarlier(arm);
      wake = done;
    });

  const tick = async () => {
    const now = new Date();
    alarms.passed(now.getTime());
    for (const id of await spec.due(now)) {
      if (stopped) return;
      try {
        await spec.handle(id, now);
      } catch (error) {
        pollerLog.warn('due work failed; will retry on the next tick', { id, error });
      }
    }
  };

  const finished = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch (error) {
        pollerLog.warn('could not read what is due; will retry', { error });
      }
      if (!stopped) await pause();
    }
  })();

  return {
    finished,
    stop: async () => {
      stopped = true;
      wake?.();
      await finished;
    },
  };
};
