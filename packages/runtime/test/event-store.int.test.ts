import { streams, subjectOf, type Envelope } from '@orderflow/contracts';
import {
  ConcurrencyConflict,
  ensureStream,
  JetStreamEventStore,
  randomId,
  type EventFeed,
} from '../src';
import { startInfra, type Infra } from './harness';

const upserted = (sku: string, aggregateVersion: number, id = randomId()): Envelope => ({
  id,
  type: 'ProductUpserted',
  version: 1,
  occurredAt: new Date('2026-01-01T00:00:00Z').toISOString(),
  aggregateId: sku,
  aggregateVersion,
  correlationId: 'test',
  causationId: 'test',
  data: { sku, name: `Product ${aggregateVersion}`, price: { amount: 100, currency: 'USD' } },
});

/** The seqs of a feed's first `count` events, or what came within five seconds. */
const firstSeqs = async (feed: EventFeed, count: number): Promise<number[]> => {
  const seqs: number[] = [];
  const events = feed[Symbol.asyncIterator]();
  const deadline = Date.now() + 5_000;
  while (seqs.length < count && Date.now() < deadline) {
    const next = await Promise.race([
      events.next(),
      new Promise<'late'>((resolve) => setTimeout(resolve, deadline - Date.now(), 'late')),
    ]);
    if (next === 'late' || next.done === true) break;
    seqs.push(next.value.seq);
  }
  // Done reading, as a for-await loop that breaks would be: a feed closes only then.
  void events.return?.();
  return seqs;
};

describe('JetStreamEventStore on a real JetStream', () => {
  let infra: Infra;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    infra = await startInfra();
    await ensureStream(infra.nats.jsm, streams.inventory);
    store = new JetStreamEventStore(infra.nats, streams.inventory.name);
  });
  afterAll(() => infra.stop());

  it('appends to an empty subject and reads the events back in order', async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-READ');
    const last = await store.append(subject, [upserted('SKU-READ', 1), upserted('SKU-READ', 2)], 0);

    const events = await store.read(subject);

    expect(events.map((e) => e.envelope.aggregateVersion)).toEqual([1, 2]);
    expect(events.at(-1)?.seq).toBe(last);
    expect(await store.read(subject, last)).toEqual([]);
  });

  it('reads a long history among other subjects whole, from the start or after any event', async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-LONG');
    const other = subjectOf('ProductUpserted', 'SKU-OTHER');
    const seqs: number[] = [];
    for (let version = 1; version <= 20; version++) {
      seqs.push(await store.append(subject, [upserted('SKU-LONG', version)], seqs.at(-1) ?? 0));
      await store.append(other, [upserted('SKU-OTHER', version)], await store.lastSequence(other));
    }
    const versions = async (after?: number) =>
      (await store.read(subject, after)).map((e) => e.envelope.aggregateVersion);

    const all = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(await versions()).toEqual(all);
    expect(await versions(seqs[2])).toEqual(all.slice(3));
    expect(await versions(seqs[15])).toEqual(all.slice(16));
    expect(await versions(seqs[19])).toEqual([]);
  });

  it("reads a subject's first event with one request, however long its history", async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-FIRST');
    const other = subjectOf('ProductUpserted', 'SKU-BEFORE-FIRST');
    await store.append(other, [upserted('SKU-BEFORE-FIRST', 1)], await store.lastSequence(other));
    let last = 0;
    for (let version = 1; version <= 8; version++) {
      last = await store.append(subject, [upserted('SKU-FIRST', version)], last);
    }
    const requestsBefore = infra.nats.connection.stats().outMsgs;

    const first = await store.first(subject);

    expect(infra.nats.connection.stats().outMsgs - requestsBefore).toBe(1);
    expect(first?.envelope.aggregateVersion).toBe(1);
    expect(first?.seq).toBe((await store.read(subject))[0]?.seq);
    expect(await store.first(subjectOf('ProductUpserted', 'SKU-NEVER'))).toBeUndefined();
  });

  it('rejects an append whose expected sequence is stale, and stores nothing', async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-CONFLICT');
    const first = await store.append(subject, [upserted('SKU-CONFLICT', 1)], 0);
    await store.append(subject, [upserted('SKU-CONFLICT', 2)], first);

    await expect(
      store.append(subject, [upserted('SKU-CONFLICT', 2)], first),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    await expect(store.append(subject, [upserted('SKU-CONFLICT', 1)], 0)).rejects.toBeInstanceOf(
      ConcurrencyConflict,
    );
    expect(await store.read(subject)).toHaveLength(2);
  });

  it('stores an event published twice with the same id once', async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-DEDUP');
    const event = upserted('SKU-DEDUP', 1);
    const seq = await store.append(subject, [event], 0);

    // A retry after a lost ack: same Nats-Msg-Id, same expectation. JetStream answers "duplicate".
    const again = await store.append(subject, [event], 0);

    expect(again).toBe(seq);
    expect(await store.read(subject)).toHaveLength(1);
  });

  it('refuses as a conflict an event already stored, when the append assumed an unread subject', async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-UNREAD');
    const event = upserted('SKU-UNREAD', 1);
    await store.append(subject, [event], 0);
    await store.append(subject, [upserted('SKU-UNREAD', 2)], await store.lastSequence(subject));

    // Decided again by a process that took the subject for empty: the duplicate is no success.
    await expect(store.append(subject, [event], 0, { unread: true })).rejects.toBeInstanceOf(
      ConcurrencyConflict,
    );
    expect(await store.read(subject)).toHaveLength(2);
  });

  it('asks a stream kept in one copy for last sequences by direct get, not the JetStream API', async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-DIRECT');
    const apiGet = jest.spyOn(infra.nats.jsm.streams, 'getMessage');
    const appended = await store.append(subject, [upserted('SKU-DIRECT', 1)], 0);

    expect(await store.lastSequence(subject)).toBe(appended);
    expect(await store.lastSequence(subjectOf('ProductUpserted', 'SKU-NONE'))).toBe(0);
    expect(apiGet).not.toHaveBeenCalled();
    apiGet.mockRestore();
  });

  it('follows many aggregates from now on with one consumer however many follow', async () => {
    const consumers = async () =>
      (await infra.nats.jsm.streams.info(streams.inventory.name)).state.consumer_count;
    const filter = subjectOf('ProductUpserted', '*');
    const before = await consumers();
    const feeds: EventFeed[] = [];
    try {
      feeds.push(
        ...(await Promise.all([store.follow(filter, 'now'), store.follow(filter, 'now')])),
      );
      feeds.push(await store.follow(filter, 'now'));
      expect(await consumers()).toBe(before + 1);

      const appended = [];
      for (const sku of ['SKU-LIVE-1', 'SKU-LIVE-2']) {
        appended.push(await store.append(subjectOf('ProductUpserted', sku), [upserted(sku, 1)], 0));
      }
      for (const feed of feeds) expect(await firstSeqs(feed, 2)).toEqual(appended);
    } finally {
      await Promise.all(feeds.map((feed) => feed.close()));
    }
    expect(await consumers()).toBe(before);
  });

  it('passes over a followed message that breaks the contract, and goes on', async () => {
    const subject = subjectOf('ProductUpserted', 'SKU-POISONED');
    const feeds: EventFeed[] = [];
    try {
      feeds.push(await store.follow(subjectOf('ProductUpserted', '*'), 'now'));
      feeds.push(await store.follow(subject, 'now'));
      const poison = await infra.nats.js.publish(subject, 'not json');
      const appended = await store.append(subject, [upserted('SKU-POISONED', 1)], poison.seq);

      for (const feed of feeds) expect(await firstSeqs(feed, 1)).toEqual([appended]);
    } finally {
      await Promise.all(feeds.map((feed) => feed.close()));
    }
  });

  it('reports 0 as the last sequence of a subject without events', async () => {
    expect(await store.lastSequence(subjectOf('ProductUpserted', 'SKU-NONE'))).toBe(0);
  });
});
