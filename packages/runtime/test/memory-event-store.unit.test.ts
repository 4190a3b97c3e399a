import { subjectOf, type Envelope } from '@orderflow/contracts';
import { randomId, type EventFeed, type StoredEvent } from '../src';
import { MemoryEventStore } from '../src/testing';

const meta = (aggregateId: string, aggregateVersion: number) => ({
  id: randomId(),
  version: 1,
  occurredAt: new Date('2026-01-01T00:00:00Z').toISOString(),
  aggregateId,
  aggregateVersion,
  correlationId: 'test',
  causationId: 'test',
});

const adjusted = (sku: string, aggregateVersion: number): Envelope => ({
  ...meta(sku, aggregateVersion),
  type: 'StockAdjusted',
  data: { sku, delta: 5, reason: 'RESTOCK' },
});

const failed = (orderId: string): Envelope => ({
  ...meta(orderId, 1),
  type: 'InventoryFailed',
  data: { orderId, reason: 'OUT_OF_STOCK', sku: 'KB-001', requested: 1, available: 0 },
});

const productA = subjectOf('StockAdjusted', 'A');
const productB = subjectOf('StockAdjusted', 'B');
const reservation = subjectOf('InventoryFailed', 'order-1');

describe('MemoryEventStore', () => {
  let store: MemoryEventStore;
  const feeds: EventFeed[] = [];

  /** Follows `filter`, closing the feed after the test. */
  const follow = async (filter: string, from: 'start' | 'now') => {
    const feed = await store.follow(filter, from);
    feeds.push(feed);
    return feed[Symbol.asyncIterator]();
  };
  const sequences = async (events: AsyncIterator<StoredEvent>, count: number) => {
    const seqs: number[] = [];
    while (seqs.length < count) {
      const next = await events.next();
      if (next.done === true) break;
      seqs.push(next.value.seq);
    }
    return seqs;
  };
  /** What the feed yields before it waits for an append: stored events come without a timer. */
  const untilWaiting = async (events: AsyncIterator<StoredEvent>) => {
    const seqs: number[] = [];
    for (;;) {
      const next = await Promise.race([
        events.next(),
        new Promise<'waiting'>((resolve) => setImmediate(resolve, 'waiting')),
      ]);
      if (next === 'waiting' || next.done === true) return seqs;
      seqs.push(next.value.seq);
    }
  };

  beforeEach(() => {
    store = new MemoryEventStore();
  });
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((feed) => feed.close()));
  });

  it('reports the last sequence of a subject, counted in the whole log, or 0 for none', async () => {
    expect(await store.lastSequence(productA)).toBe(0);

    await store.append(productA, [adjusted('A', 1)], 0);
    await store.append(productB, [adjusted('B', 1)], 0);
    await store.append(productA, [adjusted('A', 2)], 1);

    expect(await store.lastSequence(productA)).toBe(3);
    expect(await store.lastSequence(productB)).toBe(2);
    expect(await store.lastSequence(reservation)).toBe(0);
  });

  it('follows from the start: the stored events of the filter in order, then new ones', async () => {
    await store.append(productA, [adjusted('A', 1)], 0);
    await store.append(reservation, [failed('order-1')], 0);
    await store.append(productB, [adjusted('B', 1)], 0);
    const events = await follow('inventory.events.product.*', 'start');

    expect(await sequences(events, 2)).toEqual([1, 3]);

    const waiting = events.next();
    await store.append(reservation, [failed('order-1')], 2);
    await store.append(productA, [adjusted('A', 2)], 1);
    expect(await waiting).toMatchObject({ done: false, value: { seq: 5 } });
  });

  it('follows from now: only the events appended after it started', async () => {
    await store.append(productA, [adjusted('A', 1)], 0);
    const events = await follow(productA, 'now');

    const waiting = events.next();
    await store.append(productB, [adjusted('B', 1)], 0);
    await store.append(productA, [adjusted('A', 2)], 1);

    expect(await waiting).toMatchObject({ done: false, value: { seq: 3 } });
  });

  it('matches NATS wildcards: * one token, > one or more', async () => {
    await store.append(productA, [adjusted('A', 1)], 0);
    await store.append(reservation, [failed('order-1')], 0);
    await store.append('inventory', [adjusted('C', 1)], 0);

    const stored = async (filter: string) => untilWaiting(await follow(filter, 'start'));

    expect(await stored('inventory.>')).toEqual([1, 2]);
    expect(await stored('inventory.*.reservation.*')).toEqual([2]);
    expect(await stored('inventory.events.*')).toEqual([]);
    expect(await stored('*')).toEqual([3]);
  });

  it('does not follow a duplicate append, which stores nothing', async () => {
    const event = adjusted('A', 1);
    await store.append(productA, [event], 0);
    const events = await follow(productA, 'start');
    expect(await sequences(events, 1)).toEqual([1]);

    const waiting = events.next();
    await store.append(productA, [event], 0);
    await store.append(productA, [adjusted('A', 2)], 1);

    expect(await waiting).toMatchObject({ done: false, value: { seq: 2 } });
  });

  it('ends the feed on close, releasing a reader that waits', async () => {
    const feed = await store.follow(productA, 'start');
    const waiting = feed[Symbol.asyncIterator]().next();

    await feed.close();

    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});
