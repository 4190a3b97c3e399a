import type { DocumentStore } from '@orderflow/runtime';
import type { ViewsVersion } from '../../application/metrics-updates';

/** The processors' checkpoints: they move exactly when a processor stores new events. */
export const viewsVersion = (
  store: DocumentStore,
  processors: readonly string[],
): ViewsVersion => ({
  current: async () => {
    const checkpoints = await Promise.all(processors.map((name) => store.checkpoint(name)));
    return checkpoints.map((checkpoint) => checkpoint?.seq ?? 0).join(':');
  },
});
