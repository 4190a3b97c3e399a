import type { Logger } from './log';

/**
 * Work that falls due with time: a saga step's deadline, a simulated delivery. What is due is
 * read from a read model derived from the log, so it survives restarts; handling it runs a
 * command whose decider checks again, so a stale read or two replicas polling at once is harmless.
 */
export interface PollerSpec {
  readonly name: string;
  readonly intervalMs: number;
  /** The ids of what is due at `now`. */
  readonly due: (now: Date) => Promise<readonly string[]>;
  readonly handle: (id: string, now: Date) => Promise<void>;
}

export interface RunningPoller {
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

export const runPoller = (spec: PollerSpec, log: Logger): RunningPoller => {
  const pollerLog = log.child({ poller: spec.name });
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, spec.intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const tick = async () => {
    const now = new Date();
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
