import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../stats';
import { offerOrders, readLogs, type OrderDriver } from './load';
import { cpuMs, rssBytes, totalCpuMs } from '../proc';
import { gatewayGauges, gatewayQuiet, steadyMemory, type Memory, waitUntil } from './probes';
import { receiptKey, SubscriberPool, type OrderNumbers } from './subscribers';

export interface RunSetup {
  readonly driver: OrderDriver;
  readonly adminHeaders: Record<string, string>;
  readonly gatewayPid: number;
  readonly subgraphPids: readonly number[];
  readonly orders: OrderNumbers;
  readonly ordersPerSecond: number;
  readonly connectBatch: number;
  readonly drainSeconds: number;
  readonly settleSeconds: number;
  /** Gateway CPU ms that placing one order costs, from the load-only run; 0 for that run. */
  readonly baselineCpuPerOrder: number;
  readonly progress: (message: string) => void;
  readonly stopped: () => boolean;
}

export interface RunResult {
  readonly subscribers: number;
  readonly variant: string;
  readonly seconds: number;
  readonly placed: number;
  readonly failed: number;
  /** placeOrder's answer time through the same gateway, ms. */
  readonly placeMs: { p50: number; p99: number };
  readonly firstFailure: string | undefined;
  /** Status changes in the log that occurred inside the load window, per second. */
  readonly offeredPerSecond: number;
  /** Events received by all subscribers together inside the load window, per second. */
  readonly deliveredPerSecond: number;
  /** Every event received, drain included, and how many the log says there should have been. */
  readonly delivered: number;
  readonly expected: number;
  /** Receipt minus the event's `at`, ms: p50, p99, max; p50 of the first and last fifth. */
  readonly lag: { p50: number; p99: number; max: number; first: number; last: number };
  readonly missed: number;
  readonly subscribersMissing: number;
  readonly doubled: number;
  /** Events of orders this run did not place. */
  readonly stray: number;
  readonly endings: string;
  /** Seconds from the last order sent until every live subscriber had every order's last event. */
  readonly drainSeconds: number;
  readonly drained: boolean;
  /** Subscriptions open after the drain: the others were ended by the gateway. */
  readonly liveAtEnd: number;
  /** The gateway before subscribing, and with every subscriber subscribed and idle. */
  readonly before: Memory;
  readonly idle: Memory;
  readonly rssAfterLoad: number;
  /** Gateway and subgraphs' CPU in the load window, in cores (1 = one core busy). */
  readonly gatewayCores: number;
  readonly subgraphCores: number;
  /** Gateway CPU from the load's start until drained, less placing the orders, per delivery. */
  readonly cpuPerDeliveryUs: number;
  /** Gateway CPU ms from the load's start until drained, per order placed. */
  readonly cpuPerOrderMs: number;
  readonly maxBacklog: number;
  readonly quiet: { seconds: number; quiet: boolean; lastShare: number };
  readonly benchCores: number;
  readonly benchLoopP99Ms: number;
  readonly load1: number;
}

/** The gateway's backlog gauge once a second while a run lasts: its peak. */
const watchBacklog = (gatewayUrl: string) => {
  let max = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const { backlog } = await gatewayGauges(gatewayUrl).catch(() => ({ backlog: 0 }));
      max = Math.max(max, Number.isNaN(backlog) ? 0 : backlog);
      await sleep(1000);
    }
  })();
  return async () => {
    running = false;
    await done;
    return max;
  };
};

/** One subscriber count on one subscription document, from idle to idle again. */
export const runFanout = async (
  setup: RunSetup,
  subscribers: number,
  variant: { readonly name: string; readonly query: string },
  seconds: number,
): Promise<RunResult> => {
  const { driver, gatewayPid, progress } = setup;
  const { gatewayUrl } = driver;
  const label = `${subscribers} × ${variant.name}`;
  await gatewayQuiet(gatewayUrl, gatewayPid, Date.now() + setup.settleSeconds * 1000);
  const before = await steadyMemory(gatewayUrl, gatewayPid);
  const pool = new SubscriberPool({
    gatewayUrl,
    connectionParams: setup.adminHeaders,
    query: variant.query,
    orders: setup.orders,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.close();
  };
  try {
    await pool.open(subscribers, setup.connectBatch, Date.now() + 60_000);
    // Connections settle (buffers, first GC) before the idle figure is read.
    await sleep(1000);
    const idle = await steadyMemory(gatewayUrl, gatewayPid);
    progress(
      `${label}: ${subscribers} subscribed; offering ${setup.ordersPerSecond} orders/s for ${seconds} s…`,
    );

    const stopBacklog = watchBacklog(gatewayUrl);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const benchCpu = process.cpuUsage();
    const gatewayCpu0 = cpuMs(gatewayPid);
    const subgraphCpu0 = totalCpuMs(setup.subgraphPids);
    // Read when the last order is sent, not when it is answered: a swamped gateway answers late.
    const startedAt = Date.now();
    let atEnd = { gatewayMs: 0, subgraphMs: 0, benchMs: 0, rss: 0, wallMs: 1 };
    const offered = await offerOrders(driver, setup.ordersPerSecond, seconds, setup.stopped, () => {
      const bench = process.cpuUsage(benchCpu);
      atEnd = {
        gatewayMs: cpuMs(gatewayPid) - gatewayCpu0,
        subgraphMs: totalCpuMs(setup.subgraphPids) - subgraphCpu0,
        benchMs: (bench.user + bench.system) / 1000,
        rss: rssBytes(gatewayPid),
        wallMs: Math.max(1, Date.now() - startedAt),
      };
    });
    const placed = offered.placed.length;
    progress(
      `${label}: ${placed} orders placed` +
        (offered.failed > 0 ? `, ${offered.failed} failed (${offered.firstFailure})` : '') +
        `; draining (at most ${setup.drainSeconds} s after the load window)…`,
    );
    const drained = await waitUntil(
      () => pool.subscribers.every((each) => each.ended !== undefined || each.terminal >= placed),
      offered.ended + setup.drainSeconds * 1000,
    );
    // The window's last order is due before its end, and may be done by then.
    const drainSeconds = Math.max(0, Date.now() - offered.ended) / 1000;
    const gatewayRunMs = cpuMs(gatewayPid) - gatewayCpu0;
    loop.disable();
    const maxBacklog = await stopBacklog();

    const logs = await readLogs(
      gatewayUrl,
      setup.adminHeaders,
      offered.placed,
      Date.now() + 10_000,
    );
    const expectedKeys = logs.flatMap(({ id, events }) =>
      events.map(({ version }) => receiptKey(setup.orders.numberOf(id), version)),
    );
    let missed = 0;
    let subscribersMissing = 0;
    let stray = 0;
    let doubled = 0;
    for (const subscriber of pool.subscribers) {
      const got = expectedKeys.filter((key) => subscriber.seen.has(key)).length;
      missed += expectedKeys.length - got;
      if (got < expectedKeys.length) subscribersMissing++;
      stray += subscriber.seen.size - got;
      doubled += subscriber.doubled;
    }
    const inWindow = (at: number) => at >= offered.began && at < offered.ended;
    const offeredEvents = logs.reduce(
      (sum, { events }) => sum + events.filter(({ at }) => inWindow(at)).length,
      0,
    );
    const lags = pool.receivedAt.map((received, i) => received - pool.occurredAt[i]!);
    const fifth = (seconds * 1000) / 5;
    const lagsOccurring = (from: number, to: number) =>
      lags.filter((_, i) => pool.occurredAt[i]! >= from && pool.occurredAt[i]! < to);
    const deliveries = pool.receivedAt.length;
    const result: RunResult = {
      subscribers,
      variant: variant.name,
      seconds,
      placed,
      failed: offered.failed,
      firstFailure: offered.firstFailure,
      offeredPerSecond: offeredEvents / seconds,
      deliveredPerSecond: pool.receivedAt.filter(inWindow).length / seconds,
      delivered: deliveries,
      expected: expectedKeys.length * subscribers,
      lag: {
        p50: percentile(lags, 0.5),
        p99: percentile(lags, 0.99),
        max: lags.length === 0 ? Number.NaN : lags.reduce((max, lag) => Math.max(max, lag)),
        first: percentile(lagsOccurring(offered.began, offered.began + fifth), 0.5),
        last: percentile(lagsOccurring(offered.ended - fifth, offered.ended), 0.5),
      },
      missed,
      subscribersMissing,
      doubled,
      stray,
      endings: pool.endings(),
      drainSeconds,
      drained,
      liveAtEnd: pool.live,
      before,
      idle,
      rssAfterLoad: atEnd.rss,
      gatewayCores: atEnd.gatewayMs / atEnd.wallMs,
      subgraphCores: atEnd.subgraphMs / atEnd.wallMs,
      placeMs: { p50: percentile(offered.placeMs, 0.5), p99: percentile(offered.placeMs, 0.99) },
      cpuPerDeliveryUs:
        ((gatewayRunMs - setup.baselineCpuPerOrder * placed) * 1000) / Math.max(1, deliveries),
      cpuPerOrderMs: gatewayRunMs / Math.max(1, placed),
      maxBacklog,
      quiet: { seconds: 0, quiet: true, lastShare: 0 },
      benchCores: atEnd.benchMs / atEnd.wallMs,
      benchLoopP99Ms: loop.percentile(99) / 1e6,
      load1: loadavg()[0]!,
    };
    await close();
    // Until the gateway has let go of everything, the next run would pay for this one.
    const quiet = await gatewayQuiet(
      gatewayUrl,
      gatewayPid,
      Date.now() + setup.settleSeconds * 1000,
    );
    return { ...result, quiet };
  } finally {
    await close();
  }
};
