/**
 * bench:saga — saga completions per second through the gateway as the orders pile up, on the
 * default store (SQLite), and whether the order lists and the deadline poller's query stay flat.
 * Then, on the same system, closed loops of more clients each, to the most it completes a second.
 * Usage: npm run bench:saga -- [--orders 5000] [--clients 32] [--segment 1000] [--warmup auto]
 *   [--saturation 64,128,256] [--saturation-orders 3000]
 */
import '@orderflow/auth/dist/node-version';
import { connectNats } from '@orderflow/runtime';
import { graphqlData } from '@orderflow/stack';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { listOf, parseFlags, UsageError, wholeNumber } from './args';
import {
  benchSkus,
  machineLine,
  orderInput,
  progress,
  seedCatalog,
  startBenchSystem,
  systemFlags,
  systemOptions,
} from './bench-system';
import { eventsStored, measureJetStream, PAYLOAD_BYTES } from './jetstream-baseline';
import { atExit, runScript, wasInterrupted } from './lifecycle';
import { CpuPerOrder } from './saga/cpu-per-order';
import { CountsPerOrder } from './saga/counts-per-order';
import { deadlineQuery } from './saga/deadline-query';
import { Outcomes, type Outcome } from './saga/outcomes';
import { saturationReport, steadyThroughput, type Finish, type Level } from './saga/saturation';
import { count, duration, figure, median, percentile, renderTable } from './stats';

const FLAGS = {
  ...systemFlags(),
  orders: { description: 'orders measured, after the warm-up', default: '5000' },
  clients: { description: 'clients in the closed loop, one order in flight each', default: '32' },
  segment: { description: 'orders per reported segment', default: '1000' },
  warmup: {
    description: 'orders placed first and not reported (0 for none; auto: 2 per client)',
    default: 'auto',
  },
  saturation: {
    description: 'then a closed loop of each of these numbers of clients (none: skip)',
    default: '64,128,256',
  },
  'saturation-orders': { description: 'orders per saturation level', default: '3000' },
  products: { description: 'SKUs an order picks its 1 or 2 lines from', default: '20' },
  'fallback-poll-ms': {
    description: 'a client polls its order this often in case the subscription misses it',
    default: '1000',
  },
  'page-samples': { description: 'timed requests per list measurement', default: '20' },
  'order-timeout-seconds': {
    description: 'an order not done by then fails the run',
    default: '120',
  },
};

const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id status createdAt }
}`;
const ORDER_STATUS = `query ($id: ID!) { order(id: $id) { status } }`;
const ORDERS_PAGE = `query ($first: Int!, $after: String) {
  orders(first: $first, after: $after) {
    edges { cursor node { id status customerId createdAt updatedAt total { amount currency } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const EVERY_ORDER = `subscription { orderStatusChanged { orderId status } }`;

const MAX_RESTOCK = 1_000_000;

interface OrderPage {
  orders: {
    edges: { cursor: string; node: { id: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

interface Placed {
  readonly id: string;
  readonly createdAt: string;
}

interface SegmentResult {
  readonly completed: number;
  readonly cancelled: number;
  readonly seconds: number;
  readonly latencies: readonly number[];
  /** When each order ended, and whether it completed. */
  readonly finishes: readonly Finish[];
  /** Per status, ms from placing each completed order to the subscription telling of it. */
  readonly statusLatencies: ReadonlyMap<string, readonly number[]>;
}

const now = () => performance.now();

/**
 * The order's cursor as the order service makes it (subgraphs/order/src/adapters/graphql/
 * pagination.ts): base64url of the JSON [createdAt, id]. Checked against a real endCursor first.
 */
const cursorOf = ({ createdAt, id }: Placed) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

const main = async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS, 'usage: npm run bench:saga -- [flags]');
  const orders = wholeNumber('orders', flags.orders);
  const clients = wholeNumber('clients', flags.clients);
  const segment = wholeNumber('segment', flags.segment);
  const warmup = flags.warmup === 'auto' ? 2 * clients : wholeNumber('warmup', flags.warmup, 0);
  const products = wholeNumber('products', flags.products);
  const fallbackPollMs = wholeNumber('fallback-poll-ms', flags['fallback-poll-ms'], 10);
  const pageSamples = wholeNumber('page-samples', flags['page-samples']);
  const orderTimeoutMs =
    wholeNumber('order-timeout-seconds', flags['order-timeout-seconds']) * 1000;
  const levels =
    flags.saturation === 'none'
      ? []
      : listOf(flags.saturation, (level) => wholeNumber('saturation', level));
  const levelOrders = wholeNumber('saturation-orders', flags['saturation-orders']);
  const stockPerProduct = 2 * (orders + warmup + 1 + levels.length * levelOrders);
  if (stockPerProduct > MAX_RESTOCK) {
    throw new UsageError(`at most ${MAX_RESTOCK / 2 - warmup - 1} orders: stock is restocked once`);
  }

  const options = systemOptions('saga', flags);
  const deliveryMs = Number(options.env?.SHIPPING_DELIVERY_DELAY_MS);
  progress(
    `bench:saga: ${count(orders)} orders after ${count(warmup)} warm-up, ${clients} clients, ` +
      `segments of ${count(segment)}; delivery ${deliveryMs} ms; ${machineLine()}`,
  );
  const bench = await startBenchSystem(options);
  if (bench === undefined) return;
  const { system, gatewayUrl, adminHeaders } = bench;

  const skus = benchSkus(products);
  await seedCatalog(bench, skus, stockPerProduct);
  progress(`seeded ${products} products with ${count(stockPerProduct)} units each`);

  const outcomes = new Outcomes();
  const ws: WsClient = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: adminHeaders,
    retryAttempts: 5,
    shouldRetry: () => true,
  });
  atExit('close the subscription', async () => {
    await ws.dispose();
  });
  let subscriptionProblem: string | undefined;
  ws.subscribe<{ orderStatusChanged: { orderId: string; status: string } }>(
    { query: EVERY_ORDER },
    {
      next: ({ data, errors }) => {
        if (errors !== undefined) subscriptionProblem = JSON.stringify(errors);
        const change = data?.orderStatusChanged;
        if (change === undefined) return;
        outcomes.subscriptionEvents++;
        outcomes.deliver(change.orderId, change.status, 'subscription');
      },
      error: (error) => {
        subscriptionProblem = error instanceof Error ? error.message : JSON.stringify(error);
      },
      complete: () => {
        subscriptionProblem ??= 'the server completed the subscription';
      },
    },
  );

  const placed: Placed[] = [];
  let nextOrder = 0;
  const runOrder = async (
    client: number,
  ): Promise<{ outcome: Outcome; latency: number; statuses: ReadonlyMap<string, number> }> => {
    const number = nextOrder++;
    const input = orderInput(number, skus);
    const headers = bench.customerHeaders(client);
    const started = now();
    let order: Placed | undefined;
    for (let attempt = 1; order === undefined; attempt++) {
      try {
        order = (
          await graphqlData<{ placeOrder: Placed }>(gatewayUrl, PLACE_ORDER, { input }, headers)
        ).placeOrder;
      } catch (error) {
        // The same idempotency key: a retry never places a second order.
        if (attempt >= 3 || wasInterrupted()) throw error;
        await sleep(100 * attempt);
      }
    }
    placed.push(order);
    const id = order.id;
    const outcome = await outcomes.wait(
      id,
      async () =>
        (
          await graphqlData<{ order: { status: string } | null }>(
            gatewayUrl,
            ORDER_STATUS,
            { id },
            headers,
          )
        ).order?.status,
      fallbackPollMs,
      orderTimeoutMs,
    );
    const statuses = new Map(
      [...outcomes.statusesOf(id)].map(([status, at]) => [status, at - started] as const),
    );
    return { outcome, latency: outcome.at - started, statuses };
  };

  /** `total` orders through `loop` clients, each placing its next one when the last is done. */
  const runSegment = async (total: number, loop = clients): Promise<SegmentResult> => {
    let started = 0;
    let completed = 0;
    let cancelled = 0;
    const latencies: number[] = [];
    const finishes: Finish[] = [];
    const statusLatencies = new Map<string, number[]>();
    const began = now();
    let ended = began;
    const worker = async (client: number) => {
      while (started < total && !wasInterrupted()) {
        started++;
        const { outcome, latency, statuses } = await runOrder(client);
        ended = Math.max(ended, outcome.at);
        finishes.push({ at: outcome.at, completed: outcome.status === 'COMPLETED' });
        if (outcome.status === 'COMPLETED') {
          completed++;
          latencies.push(latency);
          for (const [status, ms] of statuses) {
            const known = statusLatencies.get(status);
            if (known === undefined) statusLatencies.set(status, [ms]);
            else known.push(ms);
          }
        } else {
          cancelled++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(loop, total) }, (_, i) => worker(i)));
    return {
      completed,
      cancelled,
      seconds: (ended - began) / 1000,
      latencies,
      finishes,
      statusLatencies,
    };
  };

  // The subscription is live once it delivers: a first order proves it before anything is timed.
  await runSegment(1);
  if (outcomes.subscriptionEvents === 0) {
    progress(
      `the subscription delivered nothing for the first order${subscriptionProblem ? ` (${subscriptionProblem})` : ''}; ` +
        `outcomes will be seen by polling every ${fallbackPollMs} ms`,
    );
  }
  if (warmup > 0) {
    const warm = await runSegment(warmup);
    progress(
      `warm-up: ${warm.completed} orders completed in ${duration(warm.seconds)}` +
        (warm.cancelled > 0 ? `, ${warm.cancelled} cancelled` : ''),
    );
  }

  const { orders: orderDocuments, overdue } = deadlineQuery(system.readModelDir);

  const page = async (after?: string) =>
    graphqlData<OrderPage>(gatewayUrl, ORDERS_PAGE, { first: 50, after }, adminHeaders);
  const timed = async (samples: number, run: () => Promise<unknown>) => {
    await run();
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const before = now();
      await run();
      times.push(now() - before);
    }
    return times;
  };

  // The cursor this script builds must be the one the service hands out.
  const { edges, pageInfo } = (await page()).orders;
  const last = edges.at(-1);
  if (last !== undefined && pageInfo.endCursor !== cursorOf(last.node)) {
    throw new Error(
      `the order service's cursors are no longer base64url([createdAt, id]) (got ${pageInfo.endCursor}); ` +
        'update cursorOf in bench/src/saga-bench.ts',
    );
  }

  const header = [
    'segment',
    'orders',
    'completed/s',
    'p50 ms',
    'p99 ms',
    'cancelled',
    'in store',
    'orders(first: 50) ms',
    'deep page ms',
    'overdue query µs',
  ];
  const rows: string[][] = [];
  const throughputs: number[] = [];
  const firstPages: number[] = [];
  const deepPages: number[] = [];
  const overdues: number[] = [];
  const printed = () => renderTable(header, rows);
  const cpu = new CpuPerOrder(system);
  const counted = new CountsPerOrder(system);
  const baselineNats = await connectNats(system.natsAccess(), 'bench-jetstream-baseline');
  atExit('close the baseline connection', () => baselineNats.connection.close());
  const storedBefore = await eventsStored(baselineNats);
  let completedMeasured = 0;
  const statusLatencies = new Map<string, number[]>();
  progress(`measuring ${count(orders)} orders…`);
  for (let done = 0; done < orders && !wasInterrupted();) {
    const size = Math.min(segment, orders - done);
    await counted.segmentStarts();
    cpu.segmentStarts();
    const result = await runSegment(size);
    cpu.segmentEnded(result.completed + result.cancelled);
    await counted.segmentEnded(result.completed + result.cancelled);
    if (wasInterrupted()) return;
    const throughput = result.completed / result.seconds;
    completedMeasured += result.completed + result.cancelled;
    for (const [status, ms] of result.statusLatencies) {
      statusLatencies.set(status, [...(statusLatencies.get(status) ?? []), ...ms]);
    }

    // The load is paused (every client is idle) while the lists are timed.
    const firstPage = median(await timed(pageSamples, () => page()));
    const ordered = [...placed].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
    const deep = ordered[Math.min(ordered.length - 1, Math.floor(ordered.length * 0.9))]!;
    const deepPage = median(await timed(pageSamples, () => page(cursorOf(deep))));
    const overdueTimes = await timed(Math.max(50, pageSamples), overdue);
    const overdueMicros = median(overdueTimes) * 1000;
    const found = await overdue();

    throughputs.push(throughput);
    firstPages.push(firstPage);
    deepPages.push(deepPage);
    overdues.push(overdueMicros);
    rows.push([
      String(rows.length + 1),
      `${count(done + 1)}-${count(done + size)}`,
      figure(throughput),
      figure(percentile(result.latencies, 0.5)),
      figure(percentile(result.latencies, 0.99)),
      String(result.cancelled),
      count(await orderDocuments.count()),
      figure(firstPage),
      figure(deepPage),
      `${figure(overdueMicros)}${found > 0 ? ` (${found} due)` : ''}`,
    ]);
    done += size;
    progress(
      `segment ${rows.length}: ${figure(throughput)} completed/s, p50 ${rows.at(-1)![3]} ms, ` +
        `orders page ${figure(firstPage)} ms, deep page ${figure(deepPage)} ms, overdue ${figure(overdueMicros)} µs`,
    );
  }

  const messagesPerOrder = ((await eventsStored(baselineNats)) - storedBefore) / completedMeasured;

  const levelCpu = new CpuPerOrder(system);
  const levelCounts = new CountsPerOrder(system);
  const measuredLevels: Level[] = [];
  for (const loop of levels) {
    if (wasInterrupted()) return;
    progress(`to saturation: ${count(levelOrders)} orders by ${loop} clients…`);
    await levelCounts.segmentStarts();
    levelCpu.segmentStarts();
    const result = await runSegment(levelOrders, loop);
    levelCpu.segmentEnded(result.completed + result.cancelled);
    await levelCounts.segmentEnded(result.completed + result.cancelled);
    const throughput = steadyThroughput(result.finishes, loop);
    measuredLevels.push({
      clients: loop,
      orders: levelOrders,
      throughput,
      latencies: result.latencies,
    });
    progress(`${loop} clients: ${figure(throughput)} completed/s`);
  }
  const levelLabels = levels.map((loop) => `${loop} clients`);
  const saturation = saturationReport(measuredLevels, levelCpu.table(levelLabels));

  progress('measuring JetStream alone on the same nats-server…');
  const baseline = await measureJetStream(baselineNats);
  const bound =
    Math.min(baseline.publishesPerSecond, baseline.consumesPerSecond) / messagesPerOrder;
  const statusRows = [
    'CREATED',
    'INVENTORY_RESERVED',
    'PAYMENT_CAPTURED',
    'SHIPPED',
    'COMPLETED',
  ].map((status) => {
    const samples = statusLatencies.get(status) ?? [];
    return [
      status,
      count(samples.length),
      figure(percentile(samples, 0.5)),
      figure(percentile(samples, 0.99)),
    ];
  });

  /** A small fraction to two significant digits, so runs on a faster or slower day compare. */
  const share = (value: number) => (Number.isFinite(value) ? value.toPrecision(2) : '-');
  const ratio = (values: readonly number[]) =>
    values.length < 2 ? '-' : `×${figure(values.at(-1)! / values[0]!)}`;
  const lines = [
    '',
    `Saga through the gateway: ${count(orders)} orders by ${clients} clients in a closed loop (after ${count(warmup)} warm-up), ` +
      `read models on SQLite, carrier delivers after ${deliveryMs} ms.`,
    'completed/s and place-to-COMPLETED latency per segment; then, with the load paused, medians of',
    `${pageSamples} admin orders(first: 50) pages through the gateway, of the page after the order at 90% depth,`,
    "and of the deadline poller's read (4 finds, status + updatedAt < cutoff) on the order service's SQLite file.",
    '',
    printed(),
    `outcomes seen by the subscription: ${count(outcomes.via.subscription)}, by the fallback poll: ${count(outcomes.via.poll)}` +
      (subscriptionProblem === undefined ? '' : ` (subscription: ${subscriptionProblem})`),
    `last segment vs first: throughput ${ratio(throughputs)} (${figure(throughputs[0] ?? Number.NaN)} -> ` +
      `${figure(throughputs.at(-1) ?? Number.NaN)} completed/s); orders page ${ratio(firstPages)}, deep page ${ratio(deepPages)}, ` +
      `overdue query ${ratio(overdues)}`,
    '',
    'CPU ms per order (user + system, /proc), by process and segment:',
    cpu.table(rows.map((row) => `segment ${row[0]}`)),
    ...counted.report(rows.map((row) => `segment ${row[0]}`)),
    'placeOrder -> each status of the completed orders, as the admin subscription told of it (all segments):',
    renderTable(['status', 'orders', 'p50 ms', 'p99 ms'], statusRows),
    ...(levels.length === 0
      ? []
      : [...saturation.lines, ...levelCounts.report(levelLabels, 'level')]),
    `JetStream alone on the same nats-server, the load paused: ${count(baseline.messages)} messages of ${PAYLOAD_BYTES} bytes, ` +
      `${figure(baseline.publishesPerSecond)} acknowledged publishes/s (256 in flight), ` +
      `${figure(baseline.consumesPerSecond)} consumed and acknowledged/s (one durable pull consumer).`,
    `The saga stored ${figure(messagesPerOrder)} events per order on the event streams, so JetStream alone could carry ` +
      `${figure(bound)} orders/s; the first segment ran at ${figure(throughputs[0] ?? Number.NaN)} completed/s, ` +
      `×${share((throughputs[0] ?? Number.NaN) / bound)} of that bound` +
      (saturation.best === undefined
        ? '.'
        : `; at saturation ${figure(saturation.best.throughput)}, ×${share(saturation.best.throughput / bound)}.`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};

runScript(main);
