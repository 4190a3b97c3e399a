import { deadLetterStream, deadLetterSubject, streams, subjectOf } from '@orderflow/contracts';
import { waitFor } from '@orderflow/stack';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ensureStream,
  runConsumer,
  runProjection,
  SqliteDocumentStore,
  type DocumentStore,
  type RunningConsumer,
  type RunningProjection,
} from '../src';
import { silentLog, startInfra, stockAdjusted, type Infra } from './harness';

/** A rolling upgrade with the producer first: events this code is too old to read. */
describe('an event newer than this service knows', () => {
  let infra: Infra;
  let documents: DocumentStore;
  const consumers: RunningConsumer[] = [];
  const projections: RunningProjection[] = [];

  beforeAll(async () => {
    infra = await startInfra();
    documents = new SqliteDocumentStore(join(infra.servers.dir, 'runtime.sqlite'));
    await ensureStream(infra.nats.jsm, streams.inventory);
    await ensureStream(infra.nats.jsm, deadLetterStream);
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await Promise.all(projections.splice(0).map((projection) => projection.stop()));
  });
  afterAll(async () => {
    await documents.close();
    await infra.stop();
  });

  /** Publishes a restock of `sku`, as v1 or as a version from the future; its stream sequence. */
  const publish = async (sku: string, delta: number, version = 1) => {
    const event = { ...stockAdjusted(sku, { delta }), version };
    const ack = await infra.nats.js.publish(subjectOf('StockAdjusted', sku), JSON.stringify(event));
    return ack.seq;
  };

  const deadLetters = async (durable: string) => {
    const info = await infra.nats.jsm.streams.info(deadLetterStream.name, {
      subjects_filter: deadLetterSubject(durable),
    });
    return info.state.subjects?.[deadLetterSubject(durable)] ?? 0;
  };

  const waitingForUpgrade = /^waiting for an upgrade: StockAdjusted v99 is newer than the v1/;

  it('a consumer holds it unacknowledged, reports it, and handles the next messages', async () => {
    const sku = 'FUTURE-CONSUMER';
    const handled: number[] = [];
    const spec = {
      stream: streams.inventory.name,
      durable: 'awaiting-upgrade',
      filterSubject: subjectOf('StockAdjusted', sku),
      maxDeliver: 2,
      ackWaitMs: 600,
      upgradeWait: { firstMs: 20, maxMs: 100 },
      handle: async (event: { data: unknown }) => {
        handled.push((event.data as { delta: number }).delta);
      },
    };
    const consumer = await runConsumer(infra.nats, spec, silentLog);
    consumers.push(consumer);

    await publish(sku, 99, 99);
    await publish(sku, 1);

    await waitFor('the next message to be handled', () => handled.includes(1));
    expect(handled).toEqual([1]);
    expect(consumer.progress().error).toMatch(waitingForUpgrade);
    expect(consumer.progress().error).toMatch(/this service knows/);

    // Well past the ack wait and past maxDeliver deliveries' worth of time: still held, never
    // redelivered (its delivery count does not grow), never dead-lettered.
    await sleep(1_500);
    const held = await infra.nats.jsm.consumers.info(streams.inventory.name, spec.durable);
    expect(held.num_ack_pending).toBe(1);
    expect(held.num_redelivered).toBe(0);
    expect(await deadLetters(spec.durable)).toBe(0);
    expect(consumer.progress().error).toMatch(waitingForUpgrade);

    // Stopping hands it back at once (as a rolling upgrade stops the old process) ...
    await consumers.pop()!.stop();
    // ... and the next process of the same durable gets it again: still there, not dead-lettered.
    const next = await runConsumer(infra.nats, spec, silentLog);
    consumers.push(next);
    await waitFor('the next process to hold it', () =>
      waitingForUpgrade.test(next.progress().error ?? ''),
    );
    const again = await infra.nats.jsm.consumers.info(streams.inventory.name, spec.durable);
    expect(again.num_ack_pending).toBe(1);
    expect(again.num_redelivered).toBe(1);
    expect(handled).not.toContain(99); // the v1 message may come twice (at least once)
    expect(await deadLetters(spec.durable)).toBe(0);
  });

  it('a projection applies what came before it and holds there, applying nothing after', async () => {
    const sku = 'FUTURE-PROJECTION';
    await publish(sku, 1);
    const before = await publish(sku, 2);
    await publish(sku, 99, 99);
    await publish(sku, 4);

    const projection = await runProjection(
      infra.nats,
      documents,
      {
        name: 'futurestock',
        version: 1,
        stream: streams.inventory.name,
        filterSubject: subjectOf('StockAdjusted', sku),
        collections: [{ name: 'futurestock' }],
        project: (event) =>
          event.type === 'StockAdjusted'
            ? [
                {
                  collection: 'futurestock',
                  id: event.data.sku,
                  increment: { total: event.data.delta, events: 1 },
                },
              ]
            : [],
      },
      silentLog,
      { stallMs: 60_000 },
    );
    projections.push(projection);

    await waitFor('the projection to report the upgrade it waits for', () =>
      waitingForUpgrade.test(projection.progress().error ?? ''),
    );
    const stock = () => documents.collection('futurestock').find({});
    expect(projection.position()).toBe(before);
    expect(await documents.checkpoint('futurestock')).toEqual({ seq: before, version: 1 });
    expect(await stock()).toEqual([{ _id: sku, total: 3, events: 2 }]);

    // It retries from its checkpoint, and keeps holding there.
    await sleep(1_000);
    expect(projection.position()).toBe(before);
    expect(await stock()).toEqual([{ _id: sku, total: 3, events: 2 }]);
    expect(projection.progress().error).toMatch(waitingForUpgrade);
  });
});
