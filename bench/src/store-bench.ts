/**
 * bench:store — what each operation of the read-model store costs at growing sizes, for each
 * adapter side by side. Usage: npm run bench:store -- [--sizes 1000,10000,100000]
 * [--adapters sqlite,mongodb] [--budget-seconds 120] [--op-seconds 3] [--dir <tmp>]
 */
import '@orderflow/auth/dist/node-version';
import {
  MongoDocumentStore,
  SqliteDocumentStore,
  type DocumentStore,
  type ProjectedEvent,
} from '@orderflow/runtime';
import { startEmbeddedMongo } from '@orderflow/stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listOf, parseFlags, positiveNumber, UsageError, wholeNumber } from './args';
import { atExit, runScript } from './lifecycle';
import {
  ADAPTER_LABELS,
  printReport,
  type AdapterName,
  type Column,
  type Measured,
  type ReportedOperation,
} from './store-report';
import {
  countWhere,
  deadlineQuery,
  OrderDocuments,
  ordersCollection,
  ordersProjection,
  ORDERS,
  pageQuery,
  PAGE_STATUS,
  STUCK_SHIPPED,
} from './order-documents';
import { count, duration, median, percentile, sizeLabel } from './stats';

const FLAGS = {
  sizes: { description: 'document counts to measure at', default: '1000,10000,100000' },
  adapters: { description: 'stores to compare: sqlite, mongodb', default: 'sqlite,mongodb' },
  'budget-seconds': {
    description: 'time the MongoDB fill may take for each size',
    default: '120',
  },
  'op-seconds': {
    description: 'time each operation is repeated for (at least its minimum repetitions)',
    default: '3',
  },
  dir: { description: 'where the SQLite file is written', default: tmpdir() },
};

/** Commits of this many events fill the stores, as a projection catching up writes them. */
const FILL_BATCH = 500;
const BATCH_EVENTS = 500;
const DEEP_PAGE_DEPTH = 0.9;
const WARMUP_REPETITIONS = 3;

/**
 * How long filling takes, from the commits so far: the time per document grows linearly with the
 * documents already stored (t = a + b·n), which is what the embedded MongoDB-wire server does.
 */
class FillModel {
  private readonly points: { n: number; perDocument: number }[] = [];

  get observations(): number {
    return this.points.length;
  }

  add(before: number, documents: number, seconds: number): void {
    this.points.push({ n: before + documents / 2, perDocument: seconds / documents });
  }

  /** Seconds to grow from `from` to `to` documents; undefined before two commits were timed. */
  secondsToFill(from: number, to: number): number | undefined {
    const k = this.points.length;
    if (k < 2) return undefined;
    const meanN = this.points.reduce((sum, p) => sum + p.n, 0) / k;
    const meanT = this.points.reduce((sum, p) => sum + p.perDocument, 0) / k;
    const sxx = this.points.reduce((sum, p) => sum + (p.n - meanN) ** 2, 0);
    const sxy = this.points.reduce((sum, p) => sum + (p.n - meanN) * (p.perDocument - meanT), 0);
    const b = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
    const a = Math.max(0, meanT - b * meanN);
    return a * (to - from) + (b * (to * to - from * from)) / 2;
  }
}

interface Adapter {
  readonly name: AdapterName;
  readonly store: DocumentStore;
  readonly documents: OrderDocuments;
  /** Only the MongoDB fill has a budget: the embedded test server is O(n) per write. */
  readonly budgeted: boolean;
  readonly fill: FillModel;
  /** Set once a size could not be filled in time: the larger ones are not tried. */
  outOfBudget: boolean;
}

interface Operation extends ReportedOperation {
  readonly maxRepetitions: number;
  readonly minRepetitions: number;
  /** The sample is divided by this: a batch is reported per event. */
  readonly perEvent: number;
  /** What is left untimed (building the events, picking ids), then the timed call. */
  readonly prepare: (adapter: Adapter) => () => Promise<number | undefined>;
}

const commit = (adapter: Adapter, events: readonly ProjectedEvent[]) => async () => {
  await adapter.store.commit(ordersProjection, events);
  return undefined;
};

const orders = (adapter: Adapter) => adapter.store.collection<{ _id: string }>(ORDERS);

const OPERATIONS: readonly Operation[] = [
  {
    key: 'upsert',
    label: 'upsert, alone',
    explanation:
      'one event with one guarded change to an existing order, committed alone: a caught-up projection, per event',
    maxRepetitions: 2_000,
    minRepetitions: 5,
    perEvent: 1,
    prepare: (adapter) => commit(adapter, [adapter.documents.nextUpdate()]),
  },
  {
    key: 'batch',
    label: `batch of ${BATCH_EVENTS}`,
    explanation: `${BATCH_EVENTS} such events (for as many orders) in one commit: a projection catching up, per event`,
    maxRepetitions: 100,
    minRepetitions: 3,
    perEvent: BATCH_EVENTS,
    prepare: (adapter) => commit(adapter, adapter.documents.nextUpdates(BATCH_EVENTS)),
  },
  {
    key: 'get',
    label: 'get',
    explanation: 'one order by id',
    maxRepetitions: 5_000,
    minRepetitions: 5,
    perEvent: 1,
    prepare: (adapter) => {
      const id = adapter.documents.randomId();
      return async () => ((await orders(adapter).get(id)) === undefined ? 0 : 1);
    },
  },
  {
    key: 'getMany',
    label: 'getMany 50',
    explanation: '50 random ids in one call (a DataLoader batch)',
    maxRepetitions: 2_000,
    minRepetitions: 5,
    perEvent: 1,
    prepare: (adapter) => {
      const ids = adapter.documents.randomIds(50);
      return async () => (await orders(adapter).getMany(ids)).length;
    },
  },
  {
    key: 'firstPage',
    label: 'first page',
    explanation: `orders(status: ${PAGE_STATUS}): status = ${PAGE_STATUS}, createdAt desc, _id desc, limit 51`,
    maxRepetitions: 2_000,
    minRepetitions: 5,
    perEvent: 1,
    prepare: (adapter) => async () => (await orders(adapter).find(pageQuery())).length,
  },
  {
    key: 'deepPage',
    label: 'deep page',
    explanation: `the same page after the ${PAGE_STATUS} order at ${DEEP_PAGE_DEPTH * 100}% depth (keyset cursor)`,
    maxRepetitions: 2_000,
    minRepetitions: 5,
    perEvent: 1,
    prepare: (adapter) => {
      const query = pageQuery(adapter.documents.cursorAtDepth(DEEP_PAGE_DEPTH));
      return async () => (await orders(adapter).find(query)).length;
    },
  },
  {
    key: 'deadline',
    label: 'deadline poller',
    explanation: `status = SHIPPED and updatedAt < cutoff, updatedAt asc, limit 100 (${STUCK_SHIPPED} orders are overdue at every size)`,
    maxRepetitions: 2_000,
    minRepetitions: 5,
    perEvent: 1,
    prepare: (adapter) => async () => (await orders(adapter).find(deadlineQuery)).length,
  },
  {
    key: 'count',
    label: 'count where',
    explanation: 'count(status = SHIPPED): 2% of the orders',
    maxRepetitions: 1_000,
    minRepetitions: 5,
    perEvent: 1,
    prepare: (adapter) => async () => orders(adapter).count(countWhere),
    describeResult: (result) => `= ${count(result)}`,
  },
];

const now = () => performance.now();

const progress = (message: string) => process.stderr.write(`${message}\n`);

/** Repeats one operation until it has enough samples, in microseconds (per event for a batch). */
const measure = async (
  operation: Operation,
  adapter: Adapter,
  opSeconds: number,
): Promise<Measured> => {
  const warmupStarted = now();
  for (let i = 0; i < WARMUP_REPETITIONS; i++) {
    // A slow operation warms up once: at most a tenth of its time goes to further warm-ups.
    if (i > 0 && now() - warmupStarted > opSeconds * 1000 * 0.1) break;
    await operation.prepare(adapter)();
  }
  const samples: number[] = [];
  let result: number | undefined;
  const started = now();
  while (
    samples.length < operation.maxRepetitions &&
    (samples.length < operation.minRepetitions || now() - started < opSeconds * 1000)
  ) {
    const timed = operation.prepare(adapter);
    const before = now();
    const outcome = await timed();
    samples.push(((now() - before) * 1000) / operation.perEvent);
    result ??= outcome;
  }
  return {
    median: median(samples),
    p99: percentile(samples, 0.99),
    repetitions: samples.length,
    result,
  };
};

const notMeasured = (size: number, seconds: number | undefined) =>
  `not measured: filling ${count(size)} documents would take ~${
    seconds === undefined ? 'longer than the budget' : duration(seconds)
  } (the embedded test server is O(n) per write)`;

/** Fills the adapter's store up to `size` with commits of FILL_BATCH creations, within budget. */
const fillTo = async (
  adapter: Adapter,
  size: number,
  budgetSeconds: number,
): Promise<{ ok: true; seconds: number } | { ok: false; reason: string }> => {
  const label = ADAPTER_LABELS[adapter.name];
  const started = now();
  let reported = started;
  while (adapter.documents.size < size) {
    const elapsed = (now() - started) / 1000;
    if (adapter.budgeted) {
      const rest = adapter.fill.secondsToFill(adapter.documents.size, size);
      const hopeless =
        adapter.fill.observations >= 3 && rest !== undefined && elapsed + rest > budgetSeconds;
      if (elapsed >= budgetSeconds || hopeless) {
        progress(
          `${label}: stopped filling at ${count(adapter.documents.size)} documents after ${duration(elapsed)}: ` +
            `reaching ${count(size)} would take ~${duration(elapsed + (rest ?? 0))}, over the ${budgetSeconds} s budget`,
        );
        return {
          ok: false,
          reason: notMeasured(size, adapter.fill.secondsToFill(0, size)),
        };
      }
    }
    const before = adapter.documents.size;
    const events = adapter.documents.nextCreations(Math.min(FILL_BATCH, size - before));
    const t0 = now();
    await adapter.store.commit(ordersProjection, events);
    adapter.fill.add(before, events.length, (now() - t0) / 1000);
    if (now() - reported > 5_000) {
      reported = now();
      progress(`${label}: ${count(adapter.documents.size)} of ${count(size)} documents…`);
    }
  }
  return { ok: true, seconds: (now() - started) / 1000 };
};

const openAdapter = async (name: AdapterName, dir: string): Promise<Adapter> => {
  let store: DocumentStore;
  if (name === 'sqlite') {
    const workDir = mkdtempSync(join(dir, 'orderflow-bench-store-'));
    atExit(`remove ${workDir}`, async () => rmSync(workDir, { recursive: true, force: true }));
    store = new SqliteDocumentStore(join(workDir, 'bench.sqlite'));
  } else {
    const starting = startEmbeddedMongo();
    atExit('stop the embedded MongoDB-wire server', async () => {
      const server = await starting.catch(() => undefined);
      await server?.stop();
    });
    store = await MongoDocumentStore.open((await starting).uri, 'orderflow_bench');
  }
  atExit(`close the ${ADAPTER_LABELS[name]} store`, () => store.close());
  await store.prepare(ordersCollection);
  return {
    name,
    store,
    documents: new OrderDocuments(),
    budgeted: name === 'mongodb',
    fill: new FillModel(),
    outOfBudget: false,
  };
};

const main = async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS, 'usage: npm run bench:store -- [flags]');
  const sizes = [...new Set(listOf(flags.sizes, (size) => wholeNumber('sizes', size, 100)))].sort(
    (a, b) => a - b,
  );
  const adapters = [
    ...new Set(
      listOf(flags.adapters, (name) => {
        if (name !== 'sqlite' && name !== 'mongodb') {
          throw new UsageError(`--adapters lists sqlite and/or mongodb, not ${name}`);
        }
        return name;
      }),
    ),
  ];
  if (sizes.length === 0 || adapters.length === 0) {
    throw new UsageError('--sizes and --adapters need at least one value each');
  }
  const budgetSeconds = positiveNumber('budget-seconds', flags['budget-seconds']);
  const opSeconds = positiveNumber('op-seconds', flags['op-seconds']);

  progress(
    `bench:store: sizes ${sizes.map(sizeLabel).join(', ')}; adapters ${adapters.join(', ')}; ` +
      `MongoDB fill budget ${budgetSeconds} s per size; ${opSeconds} s per operation; ` +
      `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
  );
  const opened = new Map<AdapterName, Adapter>();
  for (const name of adapters) opened.set(name, await openAdapter(name, flags.dir));

  const columns = new Map<string, Column>();
  for (const size of sizes) {
    for (const name of adapters) {
      const adapter = opened.get(name)!;
      const label = ADAPTER_LABELS[name];
      const column = `${name}@${size}`;
      if (adapter.outOfBudget) {
        columns.set(column, {
          kind: 'not measured',
          reason: notMeasured(size, adapter.fill.secondsToFill(0, size)),
        });
        continue;
      }
      const filledFrom = adapter.documents.size;
      const filled = await fillTo(adapter, size, budgetSeconds);
      if (!filled.ok) {
        adapter.outOfBudget = true;
        columns.set(column, { kind: 'not measured', reason: filled.reason });
        continue;
      }
      progress(
        `${label}: ${count(size)} documents (filled in ${duration(filled.seconds)}); measuring…`,
      );
      const results = new Map<string, Measured>();
      for (const operation of OPERATIONS) {
        results.set(operation.key, await measure(operation, adapter, opSeconds));
      }
      columns.set(column, { kind: 'measured', filledFrom, fillSeconds: filled.seconds, results });
    }
  }
  printReport(OPERATIONS, adapters, sizes, columns, FILL_BATCH);
};

runScript(main);
