import { requireAdmin, type Viewer } from '@orderflow/runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUCKET_MS } from '../domain/metric';
import { windowMinutes, type MetricsQueries, type MetricsSnapshot } from './metrics-queries';

/** Tells when the views change: each time a processor has stored new events. */
export interface ViewChanges {
  /** How many changes there have been so far. */
  count(): number;
  /** Resolves once there have been more than `seen` changes, or after `ms`. */
  after(seen: number, ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * The least time between two updates of one subscription: a burst of events becomes one update,
 * and an update follows its event by at most this plus the processor's commit.
 */
export const MIN_UPDATE_GAP_MS = 100;

/**
 * The snapshot of a window now; then again when the views change (at most once per
 * MIN_UPDATE_GAP_MS), and when the window slides to the next minute with no event. Leaving ends
 * the wait at once.
 */
export const watchMetrics =
  (queries: MetricsQueries, changes: ViewChanges, clock: () => number = Date.now) =>
  (
    window: { minutes?: number | null } | null | undefined,
    viewer: Viewer,
  ): AsyncIterableIterator<MetricsSnapshot> => {
    requireAdmin(viewer, 'metricsUpdated');
    const minutes = windowMinutes(window);
    const leaving = new AbortController();
    const { signal } = leaving;
    const updates = (async function* () {
      while (!signal.aborted) {
        const seen = changes.count();
        const at = clock();
        yield await queries.snapshotFor(minutes, at);
        // The window ends at the next minute's boundary: from there on it has slid.
        await changes.after(seen, BUCKET_MS - (at % BUCKET_MS), signal);
        const gap = at + MIN_UPDATE_GAP_MS - clock();
        if (gap > 0) await sleep(gap, undefined, { signal });
      }
    })();
    const iterator: AsyncIterableIterator<MetricsSnapshot> = {
      next: () =>
        updates.next().catch((error: unknown) => {
          if (signal.aborted) return { done: true, value: undefined };
          throw error;
        }),
      return: async () => {
        leaving.abort();
        await updates.return(undefined);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };
