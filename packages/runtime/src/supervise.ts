import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `round` again and again until `stopped()`: how a projection or a consumer keeps its feed.
 * A round that ends (its feed was closed or renewed) starts over after a moment; one that fails
 * is handed to `failed` and starts over after a backoff that doubles up to 5 s.
 */
export const supervise = async (
  round: () => Promise<void>,
  failed: (error: unknown) => Promise<void> | void,
  stopped: () => boolean,
): Promise<void> => {
  for (let failures = 0; !stopped();) {
    try {
      await round();
      failures = 0;
    } catch (error) {
      failures++;
      await failed(error);
    }
    if (!stopped()) await sleep(Math.min(100 * 2 ** failures, 5_000));
  }
};
