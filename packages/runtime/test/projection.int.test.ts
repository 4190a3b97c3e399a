import { streams, subjectOf } from '@orderflow/contracts';
import { waitFor } from '@orderflow/stack';
import { join } from 'node:path';
import {
  ensureStream,
  JetStreamEventStore,
  runProjection,
  SqliteDocumentStore,
  type DocumentStore,
  type ProjectionOptions,
  type ProjectionSpec,
  type StoredDocument,
} from '../src';
import { silentLog, startInfra, stockAdjusted, type Infra } from './harness';

/** Counts stock per SKU by increments: applying an event twice would show as a wrong total. */
const stockTotals = (version = 1): ProjectionSpec => ({
  name: 'stock-totals',
  version,
  stream: streams.inventory.name,
  filterSubject: 'inventory.events.product.*',
  collections: [{ name: 'stock' }],
  project: (event) =>
    event.type === 'StockAdjusted'
      ? [
          {
            collection: 'stock',
            id: event.data.sku,
            increment: { total: event.data.delta, events: 1 },
          },
        ]
      : [],
});

interface StockDocument {
  _id: string;
  total: number;
  events: number;
}

describe('runProjection into the embedded store', () => {
  let infra: Infra;
  let documents: DocumentStore;
  let events: JetStreamEventStore;
  const lastSeqOf = { A: 0, B: 0 };

  const append = async (sku: 'A' | 'B', delta: number) => {
    const subject = subjectOf('StockAdjusted', sku);
    const version = (await events.read(subject)).length + 1;
    lastSeqOf[sku] = await events.append(
      subject,
      [stockAdjusted(sku, { delta, aggregateVersion: version })],
      lastSeqOf[sku],
    );
  };

  const snapshot = () =>
    documents.collection<StockDocument>('stock').find({ orderBy: { _id: 'asc' } });

  /** Runs the projection to the end of the stream; how many events it was handed. */
  const project = async (spec = stockTotals(), options: ProjectionOptions = {}) => {
    const seen = { count: 0 };
    const projection = await runProjection(
      infra.nats,
      documents,
      { ...spec, project: (event) => (seen.count++, spec.project(event)) },
      silentLog,
      options,
    );
    await waitFor('the projection to reach the end of the stream', async () => {
      const info = await infra.nats.jsm.streams.info(streams.inventory.name);
      return projection.position() === info.state.last_seq;
    });
    await projection.stop();
    return seen.count;
  };

  beforeAll(async () => {
    infra = await startInfra();
    documents = new SqliteDocumentStore(join(infra.servers.dir, 'runtime.sqlite'));
    await ensureStream(infra.nats.jsm, streams.inventory);
    events = new JetStreamEventStore(infra.nats, streams.inventory.name);
    for (let i = 0; i < 3; i++) await append('A', 10);
    await append('B', 7);
  });
  afterAll(async () => {
    await documents.close();
    await infra.stop();
  });

  it('builds the read model and stores its checkpoint with it', async () => {
    expect(await project()).toBe(4);

    expect(await snapshot()).toEqual([
      { _id: 'A', total: 30, events: 3 },
      { _id: 'B', total: 7, events: 1 },
    ]);
    expect(await documents.checkpoint('stock-totals')).toEqual({ seq: 4, version: 1 });
  });

  it('catches up from its checkpoint at the next start, handed only the new events', async () => {
    await append('B', 5);

    expect(await project()).toBe(1);

    expect(await snapshot()).toEqual([
      { _id: 'A', total: 30, events: 3 },
      { _id: 'B', total: 12, events: 2 },
    ]);
  });

  it('rebuilds from the whole log when the read model version changes, or when asked', async () => {
    const before = await snapshot();

    expect(await project(stockTotals(2))).toBe(5);
    expect(await snapshot()).toEqual(before);
    expect(await documents.checkpoint('stock-totals')).toEqual({ seq: 5, version: 2 });

    expect(await project(stockTotals(2), { rebuild: true })).toBe(5);
    expect(await snapshot()).toEqual(before);
  });

  it('rebuilds when its checkpoint is past the end of the stream (the log was replaced)', async () => {
    const before = await snapshot();
    await documents.commit({ name: 'stock-totals', version: 2 }, [{ seq: 999, changes: [] }]);

    expect(await project(stockTotals(2))).toBe(5);

    expect(await snapshot()).toEqual(before);
    expect(await documents.checkpoint('stock-totals')).toEqual({ seq: 5, version: 2 });
  });

  /** The store, telling `commits` the number of events in each transaction. */
  const countingCommits = (commits: number[]): DocumentStore => ({
    description: documents.description,
    collection: <D extends StoredDocument>(name: string) => documents.collection<D>(name),
    prepare: (collection) => documents.prepare(collection),
    checkpoint: (name) => documents.checkpoint(name),
    commit: (identity, batch) => {
      commits.push(batch.length);
      return documents.commit(identity, batch);
    },
    reset: (name, collections) => documents.reset(name, collections),
    ping: () => documents.ping(),
    close: () => documents.close(),
  });

  it('passes over events that change nothing without a transaction each; the checkpoint follows', async () => {
    const commits: number[] = [];
    const counting = countingCommits(commits);
    const passesOver: ProjectionSpec = { ...stockTotals(), name: 'passes-over', project: () => [] };
    const projection = await runProjection(infra.nats, counting, passesOver, silentLog);
    const caughtUp = () => projection.position() === lastSeqOf.B;
    await waitFor('the projection to pass over the log', caughtUp);

    // One at a time, each the whole backlog when it arrives.
    for (let i = 0; i < 10; i++) {
      await append('B', 1);
      await waitFor('the projection to pass over the new event', caughtUp);
    }
    await waitFor(
      'the checkpoint to follow',
      async () => (await documents.checkpoint('passes-over'))?.seq === lastSeqOf.B,
    );
    await projection.stop();

    expect(commits.length).toBeLessThanOrEqual(3);
    expect(commits.reduce((sum, events) => sum + events, 0)).toBe(lastSeqOf.B);
  });

  it('stores changes that arrive one by one within the commit interval together', async () => {
    const commits: number[] = [];
    const spec: ProjectionSpec = { ...stockTotals(), name: 'one-by-one' };
    const projection = await runProjection(infra.nats, countingCommits(commits), spec, silentLog, {
      commitIntervalMs: 500,
    });
    const caughtUp = () => projection.position() === lastSeqOf.B;
    await waitFor('the projection to catch up', caughtUp);
    const before = commits.length;

    // One at a time, each the whole backlog when it arrives.
    for (let i = 0; i < 10; i++) await append('B', 1);
    await waitFor('the projection to store the new events', caughtUp);
    await projection.stop();

    expect(commits.length - before).toBeLessThanOrEqual(3);
    const stored = await documents.collection<StockDocument>('stock').get('B');
    expect(stored?.events).toBe(lastSeqOf.B - 3);
  });
});
