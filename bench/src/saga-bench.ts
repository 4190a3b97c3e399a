/**
 * bench:saga — saga completions per second through the gateway as the orders pile up, on the
 * default store (SQLite), and whether the order lists and the deadline poller's query stay flat.
 * Then, on the same system, closed loops of more clients each, to the most it completes a second,
 * and an open loop at half of that: the latency users see.
 * Usage: npm run bench:saga -- [--orders 5000] [--clients 32] [--segment 1000] [--warmup auto]
 *   [--saturation 64,128,256] [--saturation-orders 3000] [--half-load-seconds 20]
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
import {
  cursorOf,
  EVERY_ORDER,
  ORDER_STATUS,
  ORDERS_PAGE,
  PLACE_ORDER,
  type OrderPage,
  type Placed,
} from './saga/operations';
import { Outcomes } from './saga/outcomes';
import { driveToSaturation } from './saga/saturation';
import { statusTable, Tally, type Ended, type Tallied } from './saga/tally';
import { count, duration, figure, median, percentile, renderTable, timedRuns } from './stats';

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
  'half-load-seconds': {
    description: 'then an open loop at half the most completed/s for this long (0: skip)',
    default: '20',
  },
  products: { description: 'SKUs an order picks its 1 or 2 lines from', default: '20' },
  'fallback-poll-ms': {
    // Longer than an order takes even at saturation: a poll is load, and the subscription is
    // what tells of outcomes; the poll only catches one it missed.
    description: 'a client polls its order this often in case the subscription misses it',
    default: '5000',
  },
  'page-samples': { description: 'timed requests per list measurement', default: '20' },
  'order-timeout-seconds': {
    description: 'an order not done by then fails the run',
    default: '120',
  },
};

const MAX_RESTOCK = 1_000_000;
/** Orders/s the open loop at half load offers at most (it is stocked for that). */
const MAX_HALF_LOAD = 250;

const now = () => performance.now();

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
  const halfLoadSeconds = wholeNumber('half-load-seconds', flags['half-load-seconds'], 0);
  const otherOrders = warmup + 1 + levels.length * levelOrders + halfLoadSeconds * MAX_HALF_LOAD;
  const stockPerProduct = 2 * (orders + otherOrders);
  if (stockPerProduct > MAX_RESTOCK) {
    throw new UsageError(
      `at most ${MAX_RESTOCK / 2 - otherOrders} orders with these flags: stock is restocked once`,
    );
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
  const runOrder = async (client: number): Promise<Ended> => {
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
  const runSegment = async (total: number, loop = clients): Promise<Tallied> => {
    let started = 0;
    const tally = new Tally();
    const worker = async (client: number) => {
      while (started < total && !wasInterrupted()) {
        started++;
        tally.record(await runOrder(client));
      }
    };
    await Promise.all(Array.from({ length: Math.min(loop, total) }, (_, i) => worker(i)));
    return tally.result();
  };

  /** `total` orders placed `rate` a second on schedule, whether or not earlier ones have ended. */
  const runOpenLoop = async (rate: number, total: number): Promise<Tallied> => {
    const tally = new Tally();
    const began = now();
    const placing: Promise<void>[] = [];
    for (let i = 0; i < total && !wasInterrupted(); i++) {
      const wait = began + (i * 1000) / rate - now();
      if (wait > 0) await sleep(wait);
      placing.push(runOrder(i % clients).then((ended) => tally.record(ended)));
    }
    await Promise.all(placing);
    return tally.result();
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

  // The cursor this script builds must be the one the service hands out.
  const { edges, pageInfo } = (await page()).orders;
  const last = edges.at(-1);
  if (last !== undefined && pageInfo.endCursor !== cursorOf(last.node)) {
    throw new Error(
      `the order service's cursors are no longer base64url([createdAt, id]) (got ${pageInfo.endCursor}); ` +
        'update cursorOf in bench/src/saga/operations.ts',
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
    const firstPage = median(await timedRuns(pageSamples, () => page()));
    const ordered = [...placed].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
    const deep = ordered[Math.min(ordered.length - 1, Math.floor(ordered.length * 0.9))]!;
    const deepPage = median(await timedRuns(pageSamples, () => page(cursorOf(deep))));
    const overdueTimes = await timedRuns(Math.max(50, pageSamples), overdue);
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

  const saturation = await driveToSaturation(system, levels, levelOrders, runSegment);
  if (wasInterrupted()) return;

  // What users see below the most: latency at half of it, offered on schedule as users would.
  const most = Math.max(saturation.best?.throughput ?? 0, ...throughputs);
  const halfRate = Math.min(most / 2, MAX_HALF_LOAD);
  let halfLoad: Tallied | undefined;
  if (halfLoadSeconds > 0 && halfRate > 0 && !wasInterrupted()) {
    progress(`at half load: ${figure(halfRate)} orders/s offered for ${halfLoadSeconds} s…`);
    halfLoad = await runOpenLoop(halfRate, Math.round(halfRate * halfLoadSeconds));
  }

  progress('measuring JetStream alone on the same nats-server…');
  const baseline = await measureJetStream(baselineNats);
  const bound =
    Math.min(baseline.publishesPerSecond, baseline.consumesPerSecond) / messagesPerOrder;
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
    statusTable(statusLatencies),
    ...saturation.lines,
    ...(halfLoad === undefined
      ? []
      : [
          '',
          `At half of the most (${figure(most)} completed/s): an open loop placing ${figure(halfRate)} orders/s on ` +
            `schedule for ${halfLoadSeconds} s, whether or not earlier ones had ended; ${count(halfLoad.completed)} ` +
            `completed, ${halfLoad.cancelled} cancelled, ${figure(halfLoad.completed / halfLoad.seconds)} completed/s.`,
          'placeOrder -> each status, as the admin subscription told of it:',
          statusTable(halfLoad.statusLatencies),
          '',
        ]),
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
