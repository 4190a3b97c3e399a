/**
 * bench:round-trips — read-model store operations and subgraph fetches per request for the
 * admin `orders(first: 50) { … lines { product { name } } }` through the gateway, as the orders
 * in store and the lines per order grow: counted from each request's trace.
 * Usage: npm run bench:round-trips -- [--sizes 10,50,200] [--lines 1,2-3] [--samples 3]
 */
import '@orderflow/auth/dist/node-version';
import { graphqlData } from '@orderflow/stack';
import { listOf, parseFlags, UsageError, wholeNumber } from './args';
import { benchSkus, machineLine, progress, seedCatalog, startBenchSystem } from './bench-system';
import { atExit, runScript, wasInterrupted } from './lifecycle';
import { startOtlpReceiver } from './otlp-receiver';
import { orderPlacer } from './round-trips/orders';
import {
  costOf,
  newRequestTrace,
  renderTree,
  settledTrace,
  type RequestCost,
} from './round-trips/request-trace';
import { count, figure, median, renderTable } from './stats';

const FLAGS = {
  sizes: { description: 'orders in store at each measurement, ascending', default: '10,50,200' },
  lines: {
    description: 'lines per order, one system each: N, or N-M (alternating from N to M)',
    default: '1,2-3',
  },
  samples: { description: 'traced requests measured per cell', default: '3' },
  products: { description: 'SKUs the lines are drawn from', default: '20' },
  clients: { description: 'customers placing orders at once', default: '16' },
  'span-timeout-seconds': {
    description: "how long a request's spans may take to arrive",
    default: '20',
  },
  'order-timeout-seconds': {
    description: 'orders not ended by then fail the run',
    default: '120',
  },
  'show-trace': {
    description: "print the span tree of each cell's last request on stderr: yes/no",
    default: 'no',
  },
};

/** The request measured, exactly as asked about. */
const MEASURED = `query { orders(first: 50) { edges { node { lines { product { name } } } } } }`;
/** The same page with what shows that the read model holds every order placed, ended. */
const SETTLED = `query { orders(first: 50) { edges { node { status lines { sku } } } } }`;
const PAGE = 50;
/** The exporters post every 100 ms (OTEL_BSP_SCHEDULE_DELAY below): a whole trace is quiet for longer. */
const EXPORT_DELAY_MS = 100;

interface Page<Node> {
  orders: { edges: { node: Node }[] };
}

interface Cell {
  readonly profile: string;
  readonly size: number;
  readonly costs: readonly RequestCost[];
  readonly ms: readonly number[];
  /** Lines on the page. */
  readonly lines: number;
}

/** One figure per cell: the same in every sample, or its range when the samples differ. */
const spread = (values: readonly number[]) => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}-${high}`;
};
const total = (counts: ReadonlyMap<string, number>) =>
  [...counts.values()].reduce((sum, n) => sum + n, 0);

const main = async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    FLAGS,
    'usage: npm run bench:round-trips -- [flags]',
  );
  const sizes = listOf(flags.sizes, (size) => wholeNumber('sizes', size));
  if (sizes.some((size, i) => i > 0 && size <= sizes[i - 1]!)) {
    throw new UsageError(`--sizes must ascend, not ${flags.sizes}`);
  }
  const products = wholeNumber('products', flags.products);
  const profiles = listOf(flags.lines, (profile) => {
    const match = /^(\d+)(?:-(\d+))?$/.exec(profile);
    const [low, high] = [Number(match?.[1]), Number(match?.[2] ?? match?.[1])];
    if (match === null || low < 1 || high < low || high > Math.min(50, products)) {
      throw new UsageError(`--lines: N or N-M, 1 <= N <= M <= min(50, --products), not ${profile}`);
    }
    return profile;
  });
  const samples = wholeNumber('samples', flags.samples);
  const clients = wholeNumber('clients', flags.clients);
  const spanTimeoutMs = wholeNumber('span-timeout-seconds', flags['span-timeout-seconds']) * 1000;
  const orderTimeoutMs =
    wholeNumber('order-timeout-seconds', flags['order-timeout-seconds']) * 1000;
  if (!['yes', 'no'].includes(flags['show-trace'])) {
    throw new UsageError(`--show-trace is yes or no, not ${flags['show-trace']}`);
  }

  progress(
    `bench:round-trips: ${sizes.join(', ')} orders of ${profiles.join(' and ')} lines, ` +
      `${samples} traced requests each; ${machineLine()}`,
  );
  const ours = new Set<string>();
  const receiver = await startOtlpReceiver((traceId) => ours.has(traceId));
  atExit('stop the OTLP receiver', () => receiver.stop());
  progress(`OTLP receiver on ${receiver.url}`);

  const cells: Cell[] = [];
  for (const profile of profiles) {
    const bench = await startBenchSystem({
      name: `round-trips-${profile}`,
      env: {
        SHIPPING_DELIVERY_DELAY_MS: '50',
        SHIPPING_POLL_INTERVAL_MS: '25',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: String(EXPORT_DELAY_MS),
      },
    });
    if (bench === undefined) return;
    const skus = benchSkus(products);
    // Every order takes one unit of each SKU it names, at most one of each: none runs out.
    await seedCatalog(bench, skus, sizes.at(-1)! + 100);
    const placer = orderPlacer(bench, skus, profile);

    for (const size of sizes) {
      if (wasInterrupted()) return;
      progress(`${profile} line(s): placing orders up to ${count(size)}…`);
      await placer.placeUpTo(size, clients, orderTimeoutMs);

      // The page reads the order read model, a projection: it may trail the saga's last event.
      const onPage = Math.min(size, PAGE);
      const deadline = performance.now() + orderTimeoutMs;
      for (;;) {
        const { edges } = (
          await graphqlData<Page<{ status: string; lines: unknown[] }>>(
            bench.gatewayUrl,
            SETTLED,
            {},
            bench.adminHeaders,
          )
        ).orders;
        const ended = edges.filter(({ node }) => ['COMPLETED', 'CANCELLED'].includes(node.status));
        if (edges.length === onPage && ended.length === onPage) break;
        if (performance.now() > deadline) {
          throw new Error(`the orders page shows ${ended.length} ended orders, not ${onPage}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const measure = async () => {
        const trace = newRequestTrace();
        ours.add(trace.traceId);
        const before = performance.now();
        const { edges } = (
          await graphqlData<Page<{ lines: { product: { name: string } | null }[] }>>(
            bench.gatewayUrl,
            MEASURED,
            {},
            { ...bench.adminHeaders, ...trace.headers },
          )
        ).orders;
        const ms = performance.now() - before;
        const lines = edges.reduce((sum, { node }) => sum + node.lines.length, 0);
        const named = edges.flatMap(({ node }) => node.lines).filter((line) => line.product?.name);
        if (edges.length !== onPage || named.length !== lines) {
          throw new Error(`the page has ${edges.length} orders and ${named.length}/${lines} names`);
        }
        const spans = await settledTrace(receiver, trace, {
          quietMs: 3 * EXPORT_DELAY_MS,
          timeoutMs: spanTimeoutMs,
        });
        receiver.forget(trace.traceId);
        return { cost: costOf(spans), ms, lines, tree: renderTree(spans) };
      };
      // The first request of a shape plans it; what it costs in the store is no different, but
      // the figures are of the steady state.
      await measure();
      const costs: RequestCost[] = [];
      const ms: number[] = [];
      let lines = 0;
      let tree = '';
      for (let i = 0; i < samples && !wasInterrupted(); i++) {
        const sample = await measure();
        costs.push(sample.cost);
        ms.push(sample.ms);
        ({ lines, tree } = sample);
      }
      cells.push({ profile, size, costs, ms, lines });
      if (flags['show-trace'] === 'yes') progress(tree);
      progress(
        `  ${count(size)} orders: ${lines} lines on the page, ${spread(costs.map((c) => total(c.storeOps)))} store ops, ` +
          `${spread(costs.map((c) => total(c.fetches)))} fetches per request`,
      );
    }
    if (placer.cancelled() > 0) progress(`  (${placer.cancelled()} orders were cancelled)`);
    await placer.close();
    // The next profile starts on a system of its own; this one is stopped again at exit, a no-op.
    await bench.system.stop();
  }
  if (wasInterrupted()) return;

  const opKeys = [
    ...new Set(cells.flatMap((cell) => cell.costs.flatMap((c) => [...c.storeOps.keys()]))),
  ].sort();
  const services = [
    ...new Set(cells.flatMap((cell) => cell.costs.flatMap((c) => [...c.fetches.keys()]))),
  ].sort();
  const column = (cell: Cell, of: (cost: RequestCost) => number) => spread(cell.costs.map(of));
  const header = [
    'orders in store',
    'lines/order',
    'on page',
    ...services.map((service) => `fetches ${service}`),
    'refs resolved',
    'store ops',
    ...opKeys,
    'ms',
  ];
  const rows = cells.map((cell) => [
    count(cell.size),
    cell.profile,
    `${Math.min(cell.size, PAGE)} orders, ${cell.lines} lines`,
    ...services.map((service) => column(cell, (c) => c.fetches.get(service) ?? 0)),
    column(cell, (c) => c.references),
    column(cell, (c) => total(c.storeOps)),
    ...opKeys.map((key) => column(cell, (c) => c.storeOps.get(key) ?? 0)),
    figure(median(cell.ms)),
  ]);

  // Every count must be the same in every cell: one that moves grows with orders or lines.
  const figures: [string, (cost: RequestCost) => number][] = [
    ...services.map((s): [string, (c: RequestCost) => number] => [
      `fetches ${s}`,
      (c) => c.fetches.get(s) ?? 0,
    ]),
    ...opKeys.map((k): [string, (c: RequestCost) => number] => [k, (c) => c.storeOps.get(k) ?? 0]),
  ];
  const moving = figures.flatMap(([name, of]) => {
    const values = cells.map(
      (cell) => `${cell.size}×${cell.profile}: ${spread(cell.costs.map(of))}`,
    );
    const distinct = new Set(cells.flatMap((cell) => cell.costs.map(of)));
    return distinct.size > 1 ? [`${name} (${values.join(', ')})`] : [];
  });

  const lines = [
    '',
    `Round trips per request: the admin ${MEASURED.replace(/^query /, '')}`,
    'through the gateway; read models on SQLite; one system per lines-per-order profile; orders placed and ended',
    '(COMPLETED or CANCELLED, and shown so on the page) before each measurement.',
    'Method: each request carries a traceparent of its own, so every span of it, in every process, has that trace id.',
    'Every process exports its spans (OTLP/HTTP JSON, batched every 100 ms) to a receiver in this script, which waits',
    "until the trace is whole (the gateway's request span, every span's parent, the subgraph side of every fetch) and",
    'quiet, then counts: gateway.fetch spans (Apollo Gateway, one per subgraph request), <Type>.__resolveReference',
    'spans (entities resolved), and the store spans runtime/documents/traced-store.ts wraps around each',
    'get/getMany/find/count/commit, by service, op and collection. Each figure is per request, the same in all',
    `${samples} samples unless a range is shown; ms is the median request time with tracing on. ${machineLine()}.`,
    '',
    renderTable(header, rows),
    moving.length === 0
      ? 'flat: every fetch and store count is the same whatever the orders in store and the lines per order ' +
        '(only the entities resolved follow the lines on the page, batched into one getMany).'
      : `NOT FLAT, these counts move with the orders or the lines: ${moving.join('; ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};

runScript(main);
