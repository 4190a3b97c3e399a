/**
 * bench:gateway — our gateway against plain @apollo/gateway and Hive Gateway (its in-flight
 * deduplication on, its default, and off), each in a Node process of its own, on the same
 * supergraph and the same running subgraphs: requests per second, latency, errors and CPU per
 * request for a products page, one order across four subgraphs and a page of 50 orders.
 * Usage: npm run bench:gateway -- [--seconds 10] [--connections auto] [--rounds 2]
 */
import '@orderflow/auth/dist/node-version';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseFlags, positiveNumber, wholeNumber } from './args';
import {
  benchSkus,
  machineLine,
  progress,
  seedCatalog,
  startBenchSystem,
  systemFlags,
  systemOptions,
} from './bench-system';
import { startContenders, subgraphPids, type ContenderKey } from './gateway/contenders';
import {
  checkSameData,
  operations,
  placeCompletedOrders,
  type Operation,
} from './gateway/operations';
import { addLoads, emptyLoad, runLoad, type Load } from './gateway/load';
import { cpuMs, totalCpuMs } from './proc';
import { runScript, wasInterrupted } from './lifecycle';
import { count, duration, figure, percentile, renderTable } from './stats';

const FLAGS = {
  ...systemFlags('100'),
  seconds: { description: 'timed seconds per operation and gateway', default: '10' },
  rounds: {
    description: 'runs each cell is split into, the gateway order reversed every other one',
    default: '2',
  },
  'warmup-seconds': { description: 'untimed load before each timed run', default: '1' },
  connections: {
    description: 'connections for every operation (auto: 50 for products, 10 for orders)',
    default: 'auto',
  },
  orders: { description: 'orders placed for the customer and waited for', default: '60' },
  products: { description: 'products in the catalog', default: '20' },
};

/** How long the subgraphs' background CPU (pollers, timers) is measured with no load. */
const IDLE_SECONDS = 3;

interface Cell {
  load: Load;
  gatewayCpuMs: number | undefined;
  subgraphCpuMs: number | undefined;
}

const minus = (after: number | undefined, before: number | undefined) =>
  after === undefined || before === undefined ? undefined : after - before;
const plus = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : a + b;

const loadLine = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

const main = async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS, 'usage: npm run bench:gateway -- [flags]');
  const seconds = positiveNumber('seconds', flags.seconds);
  const rounds = wholeNumber('rounds', flags.rounds);
  const warmupSeconds = positiveNumber('warmup-seconds', flags['warmup-seconds']);
  const connections =
    flags.connections === 'auto' ? undefined : wholeNumber('connections', flags.connections);
  const orders = wholeNumber('orders', flags.orders, 50);
  const products = wholeNumber('products', flags.products, 20);
  const began = Date.now();
  const startLoad = machineLine();
  progress(`bench:gateway: ${seconds} s per cell in ${rounds} runs; ${startLoad}`);

  const bench = await startBenchSystem(systemOptions('gateway', flags));
  if (bench === undefined) return;
  const skus = benchSkus(products);
  await seedCatalog(bench, skus, 10 * orders);
  progress(`seeded ${products} products; placing ${orders} orders for customer 0…`);
  const orderIds = await placeCompletedOrders(bench, orders, skus);
  if (wasInterrupted()) return;
  progress(`${orders} orders COMPLETED; starting the competitor gateways…`);
  const contenders = await startContenders(bench);
  if (wasInterrupted()) return;

  const customer = bench.customerHeaders(0);
  // Odd-numbered orders have two lines: more for the product lookup to do.
  const ops = operations(orderIds[1]!, connections);
  for (const operation of ops) {
    await checkSameData(
      operation,
      contenders.filter((c) => operation.direct || c.key !== 'direct'),
      customer,
    );
  }
  progress('every gateway answers every operation with the same data');

  // The subgraphs' pollers and timers run throughout: their idle rate is taken off each cell.
  const pids = subgraphPids(bench);
  const idleBefore = totalCpuMs(pids);
  await sleep(IDLE_SECONDS * 1000);
  const idleRate = (totalCpuMs(pids) - idleBefore) / IDLE_SECONDS;

  const cells = new Map<string, Cell>();
  const loadAfter: string[] = [];
  const runSeconds = seconds / rounds;
  for (const [index, operation] of ops.entries()) {
    const targets = contenders.filter((c) => operation.direct || c.key !== 'direct');
    const rotated = [
      ...targets.slice(index % targets.length),
      ...targets.slice(0, index % targets.length),
    ];
    for (let round = 0; round < rounds && !wasInterrupted(); round++) {
      for (const contender of round % 2 === 0 ? rotated : [...rotated].reverse()) {
        const target = {
          url: contender.url,
          headers: { ...customer, ...contender.headers },
          body: JSON.stringify({ query: operation.query, variables: operation.variables }),
          connections: operation.connections,
        };
        await runLoad(target, warmupSeconds);
        const gatewayCpuMs = () => (contender.pid === undefined ? undefined : cpuMs(contender.pid));
        const gatewayBefore = gatewayCpuMs();
        const subgraphsBefore = totalCpuMs(pids);
        const load = await runLoad(target, runSeconds);
        const gatewayCpu = minus(gatewayCpuMs(), gatewayBefore);
        const subgraphCpu = totalCpuMs(pids) - subgraphsBefore;
        const key = `${operation.key}/${contender.key}`;
        const cell = cells.get(key) ?? { load: emptyLoad, gatewayCpuMs: 0, subgraphCpuMs: 0 };
        cells.set(key, {
          load: addLoads(cell.load, load),
          gatewayCpuMs: plus(cell.gatewayCpuMs, gatewayCpu),
          subgraphCpuMs: plus(
            cell.subgraphCpuMs,
            // Clock ticks and a busy machine make the idle rate rough: a cell never goes below 0.
            subgraphCpu === undefined
              ? undefined
              : Math.max(0, subgraphCpu - idleRate * load.seconds),
          ),
        });
        progress(
          `${operation.label}, ${contender.label}, run ${round + 1}/${rounds}: ` +
            `${figure(load.latencies.length / load.seconds)} req/s`,
        );
        if (wasInterrupted()) return;
      }
    }
    loadAfter.push(`after ${operation.label}: ${loadLine()}`);
  }

  const stat = (operation: Operation, key: ContenderKey) => {
    const cell = cells.get(`${operation.key}/${key}`);
    if (cell === undefined) return undefined;
    const { load } = cell;
    const responses = load.latencies.length;
    return {
      rps: responses / load.seconds,
      p50: percentile(load.latencies, 0.5),
      p99: percentile(load.latencies, 0.99),
      errors: `${count(load.errors)} / ${count(load.non2xx)} / ${count(load.graphqlErrors)}`,
      gatewayCpu:
        cell.gatewayCpuMs === undefined || key === 'direct' ? NaN : cell.gatewayCpuMs / responses,
      subgraphCpu: cell.subgraphCpuMs === undefined ? NaN : cell.subgraphCpuMs / responses,
    };
  };
  const rows: string[][] = [];
  const ratioRows: string[][] = [];
  const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `×${figure(a / b)}` : '-');
  for (const operation of ops) {
    let first = true;
    for (const contender of contenders) {
      const s = stat(operation, contender.key);
      if (s === undefined) continue;
      rows.push([
        first ? operation.label : '',
        contender.label,
        figure(s.rps),
        figure(s.p50),
        figure(s.p99),
        s.errors,
        figure(s.gatewayCpu),
        figure(s.subgraphCpu),
      ]);
      first = false;
    }
    const ours = stat(operation, 'ours');
    for (const [key, name] of [
      ['apollo', 'plain Apollo'],
      ['hive', 'Hive (dedup on)'],
    ] as const) {
      const other = stat(operation, key);
      if (ours === undefined || other === undefined) continue;
      ratioRows.push([
        `${operation.label}: ours / ${name}`,
        ratio(ours.rps, other.rps),
        ratio(ours.p50, other.p50),
        ratio(ours.p99, other.p99),
        ratio(ours.gatewayCpu, other.gatewayCpu),
      ]);
    }
  }

  const describe = ops.map((op) => `${op.label} (${op.connections} connections)`).join(', ');
  const lines = [
    '',
    'Gateways on one supergraph (gateway/supergraph.graphql) and the same running subgraphs, each gateway in a',
    `Node process of its own (${process.execPath}). ${count(orders)} orders of one customer, all COMPLETED`,
    `(payment and shipment present); ${products} products. Operations, as that customer:`,
    `${describe}. Before timing, every gateway's data was checked deep-equal to ours for each.`,
    `Each cell: autocannon closed loop, ${seconds} s in ${rounds} run(s) of ${figure(runSeconds)} s, each after ${warmupSeconds} s of untimed load; the`,
    'gateway order is rotated per operation and reversed every other run, so drift in the machine hits all alike.',
    'p50/p99: client-side latency of every response. errors: connection errors and timeouts / non-2xx / 2xx',
    'without data or with errors. CPU ms/req: utime+stime from /proc over the timed runs, per response, of the',
    'gateway process, and of the five subgraph processes together less their idle rate',
    `(${figure(idleRate)} ms CPU/s, measured for ${IDLE_SECONDS} s before timing; a run never counts below 0).`,
    'Per request, ours verifies the JWT, applies its depth/alias/cost limits and rate limit (raised here), sets',
    'request id and trace headers, records metrics, and fetches through its own subgraph data sources as gateway/',
    'is built now (any sharing of identical in-flight reads shows in the subgraphs column). Plain Apollo and Hive',
    'only forward Authorization and the gateway secret; every subgraph verifies the token itself in all cases.',
    'Hive dedup on is its default in-flight deduplication of identical subgraph requests (same body and headers,',
    "Authorization included: here every concurrent request of one operation); off is transportEntries['*.http']",
    '.options.deduplicateInflightRequests = false. "no gateway: inventory" sends the products page to the',
    'inventory subgraph itself, with the secret header: what the subgraph serves when every request reaches it (a',
    'gateway that shares in-flight fetches can pass it). The order operations have no such row: the order',
    'subgraph alone cannot answer them (payment, shipment and product names live in other subgraphs).',
    '',
    renderTable(
      [
        'operation',
        'gateway',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'gateway CPU ms/req',
        'subgraphs CPU ms/req',
      ],
      rows,
    ),
    'Ratios (req/s above 1 and latency or CPU below 1 favour ours):',
    '',
    renderTable(['', 'req/s', 'p50', 'p99', 'gateway CPU/req'], ratioRows),
    `machine at start: ${startLoad}`,
    ...loadAfter.map((line) => `load ${line}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  progress(`bench:gateway took ${duration((Date.now() - began) / 1000)}`);
};

runScript(main);
