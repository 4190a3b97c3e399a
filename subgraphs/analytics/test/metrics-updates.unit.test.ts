import type { Viewer } from '@orderflow/runtime';
import type { MetricsQueries, MetricsSnapshot } from '../src/application/metrics-queries';
import {
  MIN_UPDATE_GAP_MS,
  watchMetrics,
  type ViewChanges,
} from '../src/application/metrics-updates';

const admin: Viewer = { customerId: 'ops', admin: true, token: 't' };

/** Views whose changes the test makes, and which record each wait they are asked for. */
const changesByHand = () => {
  let count = 0;
  let wake: (() => void) | undefined;
  const waits: number[] = [];
  const changes: ViewChanges = {
    count: () => count,
    after: (seen, ms, signal) => {
      waits.push(ms);
      if (count > seen) return Promise.resolve();
      return new Promise((resolve, reject) => {
        wake = resolve;
        signal.addEventListener('abort', () => reject(new Error('left')), { once: true });
      });
    },
  };
  return {
    changes,
    waits,
    change: () => {
      count++;
      wake?.();
    },
  };
};

/** Snapshots that say when they were taken. */
const queries = {
  snapshotFor: async (minutes: number, now: number) => ({ minutes, now }) as never,
} as unknown as MetricsQueries;

const nowOf = (snapshot: MetricsSnapshot) => (snapshot as unknown as { now: number }).now;

describe('watchMetrics', () => {
  it('sends a snapshot at once, then another only once the views change', async () => {
    const { changes, change } = changesByHand();
    const updates = watchMetrics(queries, changes)({ minutes: 5 }, admin);

    const first = await updates.next();
    const second = updates.next();
    let arrived = false;
    void second.then(() => (arrived = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(arrived).toBe(false);

    change();
    expect((await second).done).toBe(false);
    // Timers run on a monotonic clock, Date.now on the wall clock: they may differ by a tick.
    expect(nowOf((await second).value as MetricsSnapshot)).toBeGreaterThanOrEqual(
      nowOf(first.value as MetricsSnapshot) + MIN_UPDATE_GAP_MS - 2,
    );
    await updates.return!();
  });

  it('waits for a change no longer than until the window slides into the next minute', async () => {
    const { changes, waits } = changesByHand();
    // 59.5 s into a minute.
    const updates = watchMetrics(queries, changes, () => 3 * 60_000 + 59_500)({}, admin);

    await updates.next();
    const next = updates.next();
    await new Promise((resolve) => setImmediate(resolve));

    expect(waits).toEqual([500]);
    await updates.return!();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('refuses a viewer without the admin scope', () => {
    const { changes } = changesByHand();
    expect(() =>
      watchMetrics(queries, changes)({}, { customerId: 'alice', admin: false, token: 't' }),
    ).toThrow(/metricsUpdated needs the admin scope/);
  });
});
