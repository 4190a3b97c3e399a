import type { System } from '@orderflow/stack';
import { progress } from '../bench-system';
import { wasInterrupted } from '../lifecycle';
import { count, figure, percentile, renderTable } from '../stats';
import { CountsPerOrder } from './counts-per-order';
import { CpuPerOrder } from './cpu-per-order';
import type { Finish, Tallied } from './tally';

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

interface Level {
  readonly clients: number;
  readonly orders: number;
  readonly throughput: number;
  readonly latencies: readonly number[];
}

/**
 * Closed loops of each number of `levels` clients in turn, `orders` each, on the running system:
 * the most it completes a second, with each level's latency, CPU and counts per order.
 */
export const driveToSaturation = async (
  system: System,
  levels: readonly number[],
  orders: number,
  run: (orders: number, clients: number) => Promise<Tallied>,
): Promise<{ lines: string[]; best: Level | undefined }> => {
  const cpu = new CpuPerOrder(system);
  const counted = new CountsPerOrder(system);
  const measured: Level[] = [];
  for (const clients of levels) {
    if (wasInterrupted()) break;
    progress(`to saturation: ${count(orders)} orders by ${clients} clients…`);
    await counted.segmentStarts();
    cpu.segmentStarts();
    const result = await run(orders, clients);
    cpu.segmentEnded(result.completed + result.cancelled);
    await counted.segmentEnded(result.completed + result.cancelled);
    const throughput = steadyThroughput(result.finishes, clients);
    measured.push({ clients, orders, throughput, latencies: result.latencies });
    progress(`${clients} clients: ${figure(throughput)} completed/s`);
  }
  const best = measured
    .filter((level) => Number.isFinite(level.throughput))
    .reduce<Level | undefined>(
      (top, level) => (top === undefined || level.throughput > top.throughput ? level : top),
      undefined,
    );
  if (measured.length === 0) return { lines: [], best };
  const labels = measured.map((level) => `${level.clients} clients`);
  const rows = measured.map((level) => [
    String(level.clients),
    count(level.orders),
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
      cpu.table(labels),
      ...counted.report(labels, 'level'),
    ],
  };
};
