import type { Envelope } from '@orderflow/contracts';
import type { ViewChanges } from '../../application/metrics-updates';

/**
 * Counts the batches the processors store, as the runtime tells of them after each commit, and
 * wakes whoever waits for the next.
 */
export const viewChanges = (
  onStored: (projection: string, listener: (events: readonly Envelope[]) => void) => void,
  processors: readonly string[],
): ViewChanges => {
  let changes = 0;
  const waiting = new Set<() => void>();
  for (const processor of processors) {
    onStored(processor, () => {
      changes++;
      for (const wake of waiting) wake();
    });
  }
  return {
    count: () => changes,
    after: (seen, ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        if (changes > seen) return resolve();
        const done = () => {
          clearTimeout(timer);
          waiting.delete(wake);
          signal.removeEventListener('abort', abort);
        };
        const wake = () => {
          if (changes <= seen) return;
          done();
          resolve();
        };
        const abort = () => {
          done();
          reject(signal.reason as Error);
        };
        const timer = setTimeout(() => {
          done();
          resolve();
        }, ms);
        waiting.add(wake);
        signal.addEventListener('abort', abort, { once: true });
      }),
  };
};
