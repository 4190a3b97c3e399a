import { readFileSync } from 'node:fs';
import { count, figure, renderTable } from '../stats';
import type { RunResult } from './run';

const MB = 1024 * 1024;

const who = (run: RunResult) => (run.subscribers === 0 ? '0 (load only)' : count(run.subscribers));

const ms = (value: number) => figure(value);

const share = (part: number, whole: number) =>
  whole > 0 ? `${((100 * part) / whole).toFixed(part === whole ? 0 : 1)}%` : '-';

const perSubscriber = (run: RunResult, what: keyof RunResult['idle']) =>
  figure((run.idle[what] - run.before[what]) / 1024 / run.subscribers);

/** A fifth none of whose events reached anyone says so, rather than a dash. */
const fifthLag = (lag: number) => (Number.isNaN(lag) ? 'none' : figure(lag));

/** Before the drain gave up, events still queued for a subscriber count as not received. */
const missedCell = (run: RunResult) =>
  `${run.drained ? '' : '≤ '}${count(run.missed)} (${count(run.subscribersMissing)})`;

const drainCell = (run: RunResult) => {
  if (run.subscribers === 0) return '-';
  if (run.liveAtEnd === 0) return 'all ended';
  const seconds = `${figure(run.drainSeconds)} s`;
  return run.drained ? seconds : `> ${seconds} (gave up)`;
};

export const deliveryTable = (runs: readonly RunResult[]): string =>
  renderTable(
    [
      'subscribers',
      'selection',
      'orders/s',
      'placeOrder p50, p99 ms',
      'events/s offered',
      'deliveries/s',
      'of offered × N',
      'lag p50 ms',
      'lag p99 ms',
      'lag max ms',
      'lag p50 first → last fifth',
      'missed (subscribers)',
      'doubled',
      'drained after',
    ],
    runs.map((run) => {
      const none = run.subscribers === 0;
      return [
        who(run),
        run.variant,
        figure(run.placed / run.seconds),
        `${figure(run.placeMs.p50)}, ${figure(run.placeMs.p99)}`,
        figure(run.offeredPerSecond),
        none ? '-' : figure(run.deliveredPerSecond),
        none ? '-' : share(run.deliveredPerSecond, run.offeredPerSecond * run.subscribers),
        ms(run.lag.p50),
        ms(run.lag.p99),
        ms(run.lag.max),
        none ? '-' : `${fifthLag(run.lag.first)} → ${fifthLag(run.lag.last)}`,
        none ? '-' : missedCell(run),
        none ? '-' : count(run.doubled),
        drainCell(run),
      ];
    }),
  );

export const costTable = (runs: readonly RunResult[]): string =>
  renderTable(
    [
      'subscribers',
      'selection',
      'idle KB/subscriber RSS, heap',
      'RSS before → idle → after load MB',
      'heap before → idle MB',
      'gateway cores',
      'CPU µs/delivery',
      'subgraph cores',
      'max backlog',
      'quiet after close',
      'bench cores',
      'bench loop p99 ms',
      'load 1m',
    ],
    runs.map((run) => {
      const none = run.subscribers === 0;
      return [
        who(run),
        run.variant,
        none ? '-' : `${perSubscriber(run, 'rss')}, ${perSubscriber(run, 'heapUsed')}`,
        `${figure(run.before.rss / MB)} → ${figure(run.idle.rss / MB)} → ${figure(run.rssAfterLoad / MB)}`,
        `${figure(run.before.heapUsed / MB)} → ${figure(run.idle.heapUsed / MB)}`,
        figure(run.gatewayCores),
        none ? `${figure(run.cpuPerOrderMs)} ms/order` : figure(run.cpuPerDeliveryUs),
        figure(run.subgraphCores),
        count(run.maxBacklog),
        run.quiet.quiet
          ? `${figure(run.quiet.seconds)} s`
          : `no: ${Math.round(run.quiet.lastShare * 100)}% CPU after ${figure(run.quiet.seconds)} s`,
        figure(run.benchCores),
        figure(run.benchLoopP99Ms),
        run.load1.toFixed(2),
      ];
    }),
  );

const times = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `×${figure(a / b)}` : '-';

/** What the cross-subgraph selection costs at each count, and what each count costs over the least. */
export const comparisons = (runs: readonly RunResult[], plain: string, full: string): string[] => {
  const lines: string[] = [];
  const measured = runs.filter((run) => run.subscribers > 0);
  for (const subscribers of new Set(measured.map((run) => run.subscribers))) {
    const a = measured.find((run) => run.subscribers === subscribers && run.variant === full);
    const b = measured.find((run) => run.subscribers === subscribers && run.variant === plain);
    if (a === undefined || b === undefined) continue;
    lines.push(
      `${count(subscribers)} subscribers, ${full} ÷ ${plain}: CPU/delivery ${times(a.cpuPerDeliveryUs, b.cpuPerDeliveryUs)}, ` +
        `lag p50 ${times(a.lag.p50, b.lag.p50)}, p99 ${times(a.lag.p99, b.lag.p99)}, ` +
        `deliveries/s ${times(a.deliveredPerSecond, b.deliveredPerSecond)}, gateway cores ${times(a.gatewayCores, b.gatewayCores)}`,
    );
  }
  for (const variant of new Set(measured.map((run) => run.variant))) {
    const ofVariant = measured.filter((run) => run.variant === variant);
    const least = ofVariant.reduce((a, b) => (b.subscribers < a.subscribers ? b : a));
    const most = ofVariant.reduce((a, b) => (b.subscribers > a.subscribers ? b : a));
    if (least === most) continue;
    lines.push(
      `${variant}, ${count(most.subscribers)} ÷ ${count(least.subscribers)} subscribers: deliveries/s ` +
        `${times(most.deliveredPerSecond, least.deliveredPerSecond)} (×${count(most.subscribers / least.subscribers)} offered), ` +
        `lag p50 ${times(most.lag.p50, least.lag.p50)}, p99 ${times(most.lag.p99, least.lag.p99)}, ` +
        `CPU/delivery ${times(most.cpuPerDeliveryUs, least.cpuPerDeliveryUs)}`,
    );
  }
  return lines;
};

/** Failures and early endings, one line per run that had any. */
export const problems = (runs: readonly RunResult[]): string[] =>
  runs.flatMap((run) => {
    const found: string[] = [];
    if (run.failed > 0) found.push(`${run.failed} orders failed to place (${run.firstFailure})`);
    if (run.endings !== '') found.push(`subscriptions ended by the gateway: ${run.endings}`);
    if (run.stray > 0) found.push(`${count(run.stray)} events of orders this run did not place`);
    if (run.subscribers > 0 && run.delivered !== run.expected) {
      found.push(`${count(run.delivered)} deliveries of ${count(run.expected)} the log calls for`);
    }
    return found.length === 0 ? [] : [`${who(run)} × ${run.variant}: ${found.join('; ')}`];
  });

/**
 * The gateway's warnings and errors during the bench, by message, with the first one's reason:
 * why an upstream failed or a subscriber was ended is written there, not sent to the client.
 */
export const gatewayWarnings = (logFile: string): string[] => {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [`(no gateway log at ${logFile})`];
  }
  const byMessage = new Map<string, { times: number; first: string }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: string; msg?: string; failure?: string; backlog?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.level !== 'warn' && entry.level !== 'error') continue;
    const message = `${entry.level}: ${entry.msg ?? '?'}`;
    const known = byMessage.get(message);
    if (known === undefined) {
      const detail =
        entry.failure ?? (entry.backlog === undefined ? '' : `backlog ${entry.backlog}`);
      byMessage.set(message, { times: 1, first: detail });
    } else {
      known.times++;
    }
  }
  return [...byMessage].map(
    ([message, { times, first }]) =>
      `gateway log ${message.slice(0, 120)} ×${count(times)}${first ? ` (first: ${first})` : ''}`,
  );
};
