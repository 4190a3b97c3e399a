import { streams, subjectOf } from '@orderflow/contracts';
import { waitFor } from '@orderflow/stack';
import { join } from 'node:path';
import {
  ensureStream,
  JetStreamEventStore,
  runConsumer,
  runProjection,
  SqliteDocumentStore,
  type DocumentStore,
  type ProjectionSpec,
  type RunningConsumer,
  type RunningProjection,
} from '../src';
import { silentLog, startInfra, stockAdjusted, type Infra } from './harness';

const counts: ProjectionSpec = {
  name: 'counts',
  version: 1,
  stream: streams.inventory.name,
  filterSubject: 'inventory.events.product.*',
  collections: [{ name: 'counts' }],
  project: (event) => [{ collection: 'counts', id: event.aggregateId, increment: { events: 1 } }],
};

describe('projections and consumers when nats-server is killed under them', () => {
  let infra: Infra;
  let documents: DocumentStore;
  let events: JetStreamEventStore;
  let projection: RunningProjection | undefined;
  let consumer: RunningConsumer | undefined;
  const handled: number[] = [];
  let version = 0;
  let lastSeq = 0;

  /** Appends one event, retrying while the client reconnects after a server restart. */
  const append = async () => {
    const subject = subjectOf('StockAdjusted', 'A');
    const event = stockAdjusted('A', { delta: 1, aggregateVersion: ++version });
    await waitFor('the append to go through', async () => {
      try {
        lastSeq = await events.append(subject, [event], lastSeq);
        return true;
      } catch {
        return false;
      }
    });
  };

  const streamEnd = async () =>
    (await infra.nats.jsm.streams.info(streams.inventory.name)).state.last_seq;

  const caughtUp = async () =>
    waitFor(
      'the projection to reach the end of the stream',
      async () => projection!.position() === (await streamEnd()),
      { timeoutMs: 20_000 },
    );

  beforeAll(async () => {
    infra = await startInfra();
    documents = new SqliteDocumentStore(join(infra.servers.dir, 'faults.sqlite'));
    await ensureStream(infra.nats.jsm, streams.inventory);
    events = new JetStreamEventStore(infra.nats, streams.inventory.name);
  });
  afterAll(async () => {
    await consumer?.stop();
    await projection?.stop();
    await documents.close();
    await infra.stop();
  });

  it('stores a lone event without waiting for more to arrive', async () => {
    projection = await runProjection(infra.nats, documents, counts, silentLog);
    consumer = await runConsumer(
      infra.nats,
      {
        stream: streams.inventory.name,
        durable: 'restarts',
        filterSubject: 'inventory.events.product.*',
        handle: async (event) => {
          handled.push(event.aggregateVersion);
        },
      },
      silentLog,
    );
    for (let i = 0; i < 3; i++) await append();
    await caughtUp();
  });

  it('goes on after nats-server is killed and restarted on the same store', async () => {
    for (let round = 0; round < 3; round++) {
      await infra.servers.nats.process.kill();
      await infra.servers.nats.restart();
      for (let i = 0; i < 5; i++) await append();
      await caughtUp();
      await waitFor('the consumer to handle every event', () => handled.includes(version), {
        timeoutMs: 20_000,
      });
    }
    const stored = await documents.collection<{ _id: string; events: number }>('counts').get('A');
    expect(stored?.events).toBe(version);
  });
});
