import { figure, percentile, renderTable } from '../stats';

/** One order's end as a closed loop saw it. */
export interface Finish {
  readonly at: number;
  readonly completed: boolean;
}

/**
 * Completions per second while every client had an order in flight. A closed loop of `clients`
 * fills as their first orders go through and drains once the last order has started; the window
 * runs from the `clients`-th end (each client has placed a second order) to the end that let the
 * last order start, so neither the filling nor the draining is counted. NaN when the run is too
 * short to have such a window (2 orders per client or fewer).
 */
export const steadyThroughput = (finishes: readonly Finish[], clients: number): number => {
  const ends = [...finishes].sort((a, b) => a.at - b.at);
  const from = clients - 1;
  const to = ends.length - clients - 1;
  if (to - from < 1) return Number.NaN;
  const completed = ends.slice(from + 1, to + 1).filter((end) => end.completed).length;
  return completed / ((ends[to]!.at - ends[from]!.at) / 1000);
};

export interface Level {
  readonly clients: number;
  readonly orders: number;
  readonly throughput: number;
  readonly latencies: readonly number[];
}

/** The levels' table, and the level that completed the most orders per second. */
export const saturationReport = (
  levels: readonly Level[],
  cpuTable: string,
): { lines: string[]; best: Level | undefined } => {
  const best = levels
    .filter((level) => Number.isFinite(level.throughput))
    .reduce<Level | undefined>(
      (top, level) => (top === undefined || level.throughput > top.throughput ? level : top),
      undefined,
    );
  const rows = levels.map((level) => [
    String(level.clients),
    String(level.orders),
    figure(level.throughput),
    figure(percentile(level.latencies, 0.5)),
    figure(percentile(level.latencies, 0.99)),
  ]);
  return {
    best,
    lines: [
      'To saturation: the same system, one closed loop per level of clients, each order placed when',
      "the client's last one ended; completed/s counted while every client had an order in flight",
      '(the filling and draining of the loop left out); place-to-COMPLETED latency of all its orders.',
      renderTable(['clients', 'orders', 'completed/s', 'p50 ms', 'p99 ms'], rows),
      best === undefined
        ? 'no level ran long enough for a steady window (it needs more than 2 orders per client)'
        : `the most: ${figure(best.throughput)} completed/s with ${best.clients} clients`,
      '',
      'CPU ms per order (user + system, /proc), by process and level:',
      cpuTable,
    ],
  };
};
