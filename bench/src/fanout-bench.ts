/**
 * bench:fanout — how the gateway's subscription server fans one event feed out to 1, 100 and
 * 1,000 subscribers: deliveries per second, delivery lag, missed and doubled events, and the
 * gateway's memory and CPU per subscriber and per delivery; with and without a selection that
 * the gateway completes from other subgraphs for every event.
 * Usage: npm run bench:fanout -- [--subscribers 1,100,1000] [--orders-per-second 10] [--seconds 20]
 */
import '@orderflow/auth/dist/node-version';
import { parseFlags, listOf, positiveNumber, UsageError, wholeNumber } from './args';
import {
  benchSkus,
  machineLine,
  progress,
  seedCatalog,
  startBenchSystem,
  systemFlags,
  systemOptions,
} from './bench-system';
import { join } from 'node:path';
import { comparisons, costTable, deliveryTable, gatewayWarnings, problems } from './fanout/report';
import { runFanout, type RunResult, type RunSetup } from './fanout/run';
import { OrderNumbers } from './fanout/subscribers';
import { runScript, wasInterrupted } from './lifecycle';
import { count, figure } from './stats';

const FLAGS = {
  ...systemFlags(),
  subscribers: {
    description: 'subscriber counts, one run each per selection',
    default: '1,100,1000',
  },
  'orders-per-second': { description: 'orders offered per second (~5 events each)', default: '10' },
  seconds: { description: 'seconds of load per run', default: '20' },
  'baseline-seconds': {
    description: 'seconds of load with no subscriber first: what placing orders costs (0: none)',
    default: '10',
  },
  selections: {
    description: 'which subscription selections: plain, full or both',
    default: 'plain,full',
  },
  customers: { description: 'customers the orders are placed by, in turn', default: '8' },
  products: { description: 'SKUs an order picks its 1 or 2 lines from', default: '20' },
  'connect-batch': { description: 'subscriptions opened at once', default: '100' },
  'drain-seconds': {
    description: 'after the load, how long to wait for every subscriber to catch up',
    default: '30',
  },
  'settle-seconds': {
    description: 'after closing, how long to wait for the gateway to go idle',
    default: '20',
  },
  backlog: {
    description:
      "GATEWAY_SUBSCRIPTION_BACKLOG: events a subscription may fall behind (the gateway's default)",
    default: '1000',
  },
};

const FIELDS = 'orderId version status at';
/** `npm run watch`'s cross-subgraph part (packages/stack/src/watch-view.ts), on the all-orders feed. */
const SELECTIONS = {
  plain: `subscription { orderStatusChanged { ${FIELDS} } }`,
  full: `subscription { orderStatusChanged { ${FIELDS} order { payment { status } shipment { trackingNumber } } } }`,
} as const;
type Selection = keyof typeof SELECTIONS;

const GATEWAY_DEFAULT_PER_CUSTOMER = 50;
const MAX_RESTOCK = 1_000_000;

const main = async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS, 'usage: npm run bench:fanout -- [flags]');
  const counts = listOf(flags.subscribers, (part) => wholeNumber('subscribers', part));
  const perSecond = positiveNumber('orders-per-second', flags['orders-per-second']);
  const seconds = wholeNumber('seconds', flags.seconds);
  const baselineSeconds = wholeNumber('baseline-seconds', flags['baseline-seconds'], 0);
  const selections = listOf(flags.selections, (part) => {
    if (!(part in SELECTIONS))
      throw new UsageError(`--selections takes plain and full, not ${part}`);
    return part as Selection;
  });
  const customers = wholeNumber('customers', flags.customers);
  const products = wholeNumber('products', flags.products);
  const connectBatch = wholeNumber('connect-batch', flags['connect-batch']);
  const drainSeconds = wholeNumber('drain-seconds', flags['drain-seconds']);
  const settleSeconds = wholeNumber('settle-seconds', flags['settle-seconds']);
  const backlog = wholeNumber('backlog', flags.backlog);
  if (counts.length === 0 || selections.length === 0) {
    throw new UsageError('--subscribers and --selections need at least one value each');
  }
  const totalOrders = Math.ceil(
    perSecond * (baselineSeconds + seconds * counts.length * selections.length) + 10,
  );
  // Each order takes at most one unit of a SKU per line and at most two lines.
  const stockPerProduct = 2 * totalOrders;
  if (stockPerProduct > MAX_RESTOCK) {
    throw new UsageError(`at most ${MAX_RESTOCK / 2} orders in all: stock is restocked once`);
  }

  // Every subscriber is the same admin, who would otherwise hold 50 subscriptions at most.
  const perCustomer = Math.max(GATEWAY_DEFAULT_PER_CUSTOMER, ...counts);
  const options = systemOptions('fanout', flags, {
    GATEWAY_SUBSCRIPTIONS_PER_CUSTOMER: String(perCustomer),
    GATEWAY_SUBSCRIPTION_BACKLOG: String(backlog),
  });
  progress(
    `bench:fanout: ${counts.map(count).join(', ')} subscribers × ${selections.join(', ')}, ` +
      `${perSecond} orders/s for ${seconds} s each; ${machineLine()}`,
  );
  const bench = await startBenchSystem(options);
  if (bench === undefined) return;
  const { system } = bench;
  const pidOf = (name: string) => {
    const pid = system.services[name]?.process.pid;
    if (pid === undefined) throw new Error(`the ${name} process has no pid: is it running?`);
    return pid;
  };
  const gatewayPid = pidOf('gateway');
  const subgraphPids = Object.keys(system.services)
    .filter((name) => name !== 'gateway')
    .map(pidOf);

  const skus = benchSkus(products);
  await seedCatalog(bench, skus, stockPerProduct);
  progress(`seeded ${products} products with ${count(stockPerProduct)} units each`);

  const setup: RunSetup = {
    driver: {
      gatewayUrl: bench.gatewayUrl,
      skus,
      customers,
      customerHeaders: (i) => bench.customerHeaders(i),
    },
    adminHeaders: bench.adminHeaders,
    gatewayPid,
    subgraphPids,
    orders: new OrderNumbers(),
    ordersPerSecond: perSecond,
    connectBatch,
    drainSeconds,
    settleSeconds,
    baselineCpuPerOrder: 0,
    progress,
    stopped: wasInterrupted,
  };
  const runs: RunResult[] = [];
  const report = (run: RunResult) => {
    runs.push(run);
    progress(
      `${count(run.subscribers)} × ${run.variant}: ${figure(run.deliveredPerSecond)} deliveries/s of ` +
        `${figure(run.offeredPerSecond * run.subscribers)} offered, lag p50 ${figure(run.lag.p50)} ms ` +
        `p99 ${figure(run.lag.p99)} ms, missed ${count(run.missed)}, doubled ${count(run.doubled)}, ` +
        `gateway ${figure(run.gatewayCores)} cores; load ${run.load1.toFixed(2)}`,
    );
  };

  if (baselineSeconds > 0) {
    progress(`load only (also the warm-up): ${perSecond} orders/s for ${baselineSeconds} s…`);
    report(await runFanout(setup, 0, { name: '-', query: SELECTIONS.plain }, baselineSeconds));
  }
  const baseline = runs[0];
  const measuring: RunSetup = { ...setup, baselineCpuPerOrder: baseline?.cpuPerOrderMs ?? 0 };
  for (const subscribers of counts) {
    for (const selection of selections) {
      if (wasInterrupted()) return;
      const variant = { name: selection, query: SELECTIONS[selection] };
      report(await runFanout(measuring, subscribers, variant, seconds));
    }
  }
  if (wasInterrupted()) return;

  const lines = [
    '',
    `Subscription fan-out through the gateway (${machineLine()}).`,
    `Each subscriber is a graphql-ws client on a websocket of its own, subscribed as one admin to the feed of every`,
    `order; orders are offered at ${perSecond}/s in an open loop by ${customers} customers for ${seconds} s a run.`,
    `plain: { ${FIELDS} }, answered from the event. full: plus order { payment { status } shipment { trackingNumber } }`,
    '(what `npm run watch` selects), which the gateway completes per event and per subscriber from the payment and',
    'shipping subgraphs.',
    '',
    deliveryTable(runs),
    'placeOrder: answer times of the orders placed through the same gateway. events/s offered: status changes in the',
    'order log (Order.history) that occurred in the load window. deliveries/s:',
    'events all subscribers received in that window together, and their share of offered × N. lag: receipt time minus',
    "the event's `at` (one clock); first → last fifth: p50 of the events that occurred in the window's first and last",
    'fifth. missed: events of the log a subscriber never received (subscribers missing any); doubled: one order version',
    `received twice by one subscriber; ≤ when the drain gave up and some were still queued. drained after: from the`,
    `end of the load window until every subscriber had each order's COMPLETED or CANCELLED (at most ${drainSeconds} s; 0 if before).`,
    '',
    costTable(runs),
    `Gateway process ${gatewayPid}: RSS (/proc VmRSS, median of 5 reads) before subscribing, with N subscribed and idle,`,
    "and at the end of the load; heap: V8's heap in use from the gateway's /metrics, least of the same 5 reads. idle",
    'KB/subscriber = (idle - before) / N; either moves by a few hundred KB between reads, so small N is noise, and RSS',
    'does not shrink after a run, so a later run may fit in what an earlier one grew. gateway cores: /proc utime +',
    'stime in the load window / its wall time. CPU µs/delivery: gateway CPU from',
    "the load's start until drained, less the load-only run's CPU per order placed × orders, per delivery. max backlog:",
    'the gateway gauge orderflow_gateway_subscription_backlog, scraped once a second. quiet after close: until the',
    'gateway held no subscription and used < 5% of a core over a second. bench cores / loop p99: this process',
    '(subscribers and driver); when its event loop lags, so does every receipt it timestamps.',
    '',
    ...comparisons(runs, 'plain', 'full'),
    ...problems(runs),
    ...gatewayWarnings(join(bench.dataDir, 'logs', 'gateway.log')),
    `gateway limits raised: GATEWAY_SUBSCRIPTIONS_PER_CUSTOMER=${perCustomer} (every subscriber is the same admin), ` +
      'GATEWAY_RATE_LIMIT_PER_MINUTE=10000000; per connection (20) left, with one subscription a connection; ' +
      `GATEWAY_SUBSCRIPTION_BACKLOG=${backlog}.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};

runScript(main);
