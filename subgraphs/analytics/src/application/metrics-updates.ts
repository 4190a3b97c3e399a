import { requireAdmin, type Viewer } from '@orderflow/runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { windowMinutes, type MetricsQueries, type MetricsSnapshot } from './metrics-queries';

/** Which events the views hold: it changes when a processor stores new ones. */
export interface ViewsVersion {
  current(): Promise<string>;
}

/** How often the views are looked at: a burst of events becomes one update per interval. */
export const UPDATE_INTERVAL_MS = 250;

/**
 * The snapshot of a window now, then again each time the views change, at most once per
 * interval. Leaving ends the wait at once.
 */
export const watchMetrics =
  (queries: MetricsQueries, version: ViewsVersion, clock: () => number = Date.now) =>
  (
    window: { minutes?: number | null } | null | undefined,
    viewer: Viewer,
  ): AsyncIterableIterator<MetricsSnapshot> => {
    requireAdmin(viewer, 'metricsUpdated');
    const minutes = windowMinutes(window);
    const leaving = new AbortController();
    const updates = (async function* () {
      let seen = await version.current();
      yield await queries.snapshotFor(minutes, clock());
      while (!leaving.signal.aborted) {
        await sleep(UPDATE_INTERVAL_MS, undefined, { signal: leaving.signal });
        const now = await version.current();
        if (now === seen) continue;
        seen = now;
        yield await queries.snapshotFor(minutes, clock());
      }
    })();
    const iterator: AsyncIterableIterator<MetricsSnapshot> = {
      next: () =>
        updates.next().catch((error: unknown) => {
          if (leaving.signal.aborted) return { done: true, value: undefined };
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
