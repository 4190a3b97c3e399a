import { streams, subjectOf, type Envelope } from '@orderflow/contracts';
import { waitFor } from '@orderflow/stack';
import type { Db } from 'mongodb';
import {
  clearReadModels,
  ensureStream,
  EventStore,
  randomId,
  runProjection,
  type ProjectionSpec,
} from '../src';
import { silentLog, startInfra, type Infra } from './harness';

const adjusted = (sku: string, delta: number, aggregateVersion: number): Envelope => ({
  id: randomId(),
  type: 'StockAdjusted',
  version: 1,
  occurredAt: new Date().toISOString(),
  aggregateId: sku,
  aggregateVersion,
  correlationId: 'test',
  causationId: 'test',
  data: { sku, delta, reason: 'RESTOCK' },
});

/** Counts stock per SKU with $inc: applying an event twice would show as a wrong total. */
const stockTotals: ProjectionSpec = {
  name: 'stock-totals',
  stream: streams.inventory.name,
  filterSubject: 'inventory.events.product.*',
  project: (event) =>
    event.type === 'StockAdjusted'
      ? [
          {
            collection: 'stock',
            id: event.data.sku,
            update: { $inc: { total: event.data.delta, events: 1 } },
          },
        ]
      : [],
};

interface StockDocument {
  _id: string;
  total: number;
  events: number;
}

const snapshot = async (db: Db) =>
  (await db.collection<StockDocument>('stock').find({}).sort({ _id: 1 }).toArray()).map(
    ({ _id, total, events }) => ({ _id, total, events }),
  );

describe('runProjection into a real MongoDB-wire server', () => {
  let infra: Infra;
  let db: Db;
  let store: EventStore;

  beforeAll(async () => {
    infra = await startInfra({ mongo: true });
    db = infra.mongo!.db;
    await ensureStream(infra.nats.jsm, streams.inventory);
    store = new EventStore(infra.nats, streams.inventory.name);
    let seq = 0;
    for (let version = 1; version <= 3; version++) {
      seq = await store.append(subjectOf('StockAdjusted', 'A'), [adjusted('A', 10, version)], seq);
    }
    await store.append(subjectOf('StockAdjusted', 'B'), [adjusted('B', 7, 1)], 0);
  });
  afterAll(() => infra.stop());

  const project = async () => {
    const projection = await runProjection(infra.nats, db, stockTotals, silentLog);
    await waitFor('the projection to reach the end of the stream', async () => {
      const info = await infra.nats.jsm.streams.info(streams.inventory.name);
      return projection.position() === info.state.last_seq;
    });
    await projection.stop();
  };

  it('builds the read model and stores its checkpoint beside it', async () => {
    await project();

    expect(await snapshot(db)).toEqual([
      { _id: 'A', total: 30, events: 3 },
      { _id: 'B', total: 7, events: 1 },
    ]);
    expect(
      await db.collection('checkpoints').findOne({ _id: 'stock-totals' as never }),
    ).toMatchObject({
      seq: 4,
    });
  });

  it('changes nothing when the same events are applied again', async () => {
    const before = await snapshot(db);
    // Lose the checkpoint but keep the data: every event is delivered a second time.
    await db.collection('checkpoints').deleteMany({});

    await project();

    expect(await snapshot(db)).toEqual(before);
  });

  it('rebuilds the same read model from the log after the read models are cleared', async () => {
    const before = await snapshot(db);
    await clearReadModels(db, ['stock']);

    await project();

    expect(await snapshot(db)).toEqual(before);
  });
});
