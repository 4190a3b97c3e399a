import { randomUUID } from 'node:crypto';
import type { Envelope } from '@orderflow/contracts';
import type { DeadLetter } from '@orderflow/runtime';
import { formatStory, tellStory, type OrderLog } from '../src';
import type { LoggedEvent } from '../src/story/read-order';

const T0 = Date.parse('2026-01-01T12:00:00.000Z');
const money = { amount: 17800, currency: 'USD' };
const address = {
  name: 'Ada',
  line1: '1 Main St',
  city: 'London',
  postalCode: 'N1',
  country: 'GB',
};
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A saga written step by step, each event caused by the one named, at T0 + ms. */
class Log {
  readonly events: LoggedEvent[] = [];
  private seq = 0;

  add(type: string, ms: number, data: object, cause?: Envelope | 'request' | 'deadline'): Envelope {
    const event = {
      id: randomUUID(),
      type,
      version: 1,
      occurredAt: new Date(T0 + ms).toISOString(),
      aggregateId: 'o-1',
      aggregateVersion: 1,
      correlationId: 'o-1',
      causationId: typeof cause === 'object' ? cause.id : randomUUID(),
      causationType: typeof cause === 'object' ? cause.type : (cause ?? 'request'),
      data,
    } as Envelope;
    const stream = type.startsWith('Order')
      ? 'ORDER'
      : type.startsWith('Payment')
        ? 'PAYMENT'
        : 'INVENTORY';
    this.events.push({
      event,
      stream,
      seq: ++this.seq,
      subject: `${stream.toLowerCase()}.events.x.o-1`,
      appendedAt: event.occurredAt,
      traceId: this.seq === 1 ? undefined : TRACE,
    });
    return event;
  }
}

const letter = (original: Envelope, seq: number): DeadLetter => ({
  seq,
  durable: 'payment-saga',
  deadLetteredAt: new Date(Date.parse(original.occurredAt) + 21_250).toISOString(),
  error: 'provider unavailable',
  deliveries: 5,
  source: { stream: 'ORDER', subject: 'order.events.order.o-1', seq: 3 },
  data: JSON.stringify(original),
  headers: {},
});

describe('the story of an order', () => {
  const log = new Log();
  const created = log.add('OrderCreated', 0, {
    orderId: 'o-1',
    lines: [{ sku: 'KB-001', quantity: 2, unitPrice: { amount: 8900, currency: 'USD' } }],
    total: money,
    shippingAddress: address,
  });
  const reserved = log.add(
    'InventoryReserved',
    40,
    {
      orderId: 'o-1',
      lines: [{ sku: 'KB-001', quantity: 2 }],
    },
    created,
  );
  // The order service's clock is 30 ms behind inventory's: by time alone it answers too early.
  const decided = log.add(
    'OrderInventoryReserved',
    20,
    { orderId: 'o-1', amount: money },
    reserved,
  );
  log.add('OrderCancelled', 30_000, { orderId: 'o-1', reason: 'TIMED_OUT' }, 'deadline');
  const orderLog: OrderLog = {
    events: log.events,
    unreadable: [],
    deadLetters: [
      {
        letter: letter(decided, 7),
        original: { id: decided.id, type: decided.type },
        traceId: TRACE,
      },
    ],
  };

  it('puts each step after its cause, with the consumer that produced it and the time since', () => {
    const story = tellStory('o-1', orderLog)!;

    expect(story.status).toBe('CANCELLED');
    expect(
      story.steps.map(({ kind, type, by, cause, sinceCauseMs, status }) => ({
        kind,
        type,
        by,
        cause: cause.type,
        sinceCauseMs,
        status,
      })),
    ).toEqual([
      {
        kind: 'event',
        type: 'OrderCreated',
        by: 'order API',
        cause: 'request',
        sinceCauseMs: null,
        status: 'CREATED',
      },
      {
        kind: 'event',
        type: 'InventoryReserved',
        by: 'inventory-saga',
        cause: 'OrderCreated',
        sinceCauseMs: 40,
        status: null,
      },
      {
        kind: 'event',
        type: 'OrderInventoryReserved',
        by: 'order-saga',
        cause: 'InventoryReserved',
        sinceCauseMs: -20,
        status: 'INVENTORY_RESERVED',
      },
      {
        kind: 'dead-letter',
        type: 'OrderInventoryReserved',
        by: 'payment-saga',
        cause: 'OrderInventoryReserved',
        sinceCauseMs: 21_250,
        status: null,
      },
      {
        kind: 'event',
        type: 'OrderCancelled',
        by: 'order-deadlines',
        cause: 'deadline',
        sinceCauseMs: null,
        status: 'CANCELLED',
      },
    ]);
  });

  it('reads as a table for people, trace ids and all', () => {
    expect(formatStory(tellStory('o-1', orderLog)!).split('\n')).toEqual([
      'order o-1: CANCELLED; 4 events, 1 dead letter over 30.00s, from 2026-01-01 12:00:00.000 UTC',
      '',
      'time (UTC)    since cause  what                                         by               cause                   trace                             detail',
      '12:00:00.000            -  OrderCreated → CREATED                       order API        request                 -                                 KB-001 x2; 178.00 USD',
      '12:00:00.040        +40ms  InventoryReserved                            inventory-saga   OrderCreated            4bf92f3577b34da6a3ce929d0e0e4736  KB-001 x2',
      '12:00:00.020        -20ms  OrderInventoryReserved → INVENTORY_RESERVED  order-saga       InventoryReserved       4bf92f3577b34da6a3ce929d0e0e4736  178.00 USD',
      '12:00:21.270      +21.25s  dead letter: OrderInventoryReserved          payment-saga     OrderInventoryReserved  4bf92f3577b34da6a3ce929d0e0e4736  gave up after 5 deliveries: provider unavailable',
      '12:00:30.000            -  OrderCancelled → CANCELLED                   order-deadlines  deadline                4bf92f3577b34da6a3ce929d0e0e4736  TIMED_OUT',
    ]);
  });

  it('tells no story of an order the log does not hold', () => {
    expect(tellStory('o-2', { events: [], unreadable: [], deadLetters: [] })).toBeUndefined();
  });

  it('says when the dead letters could not be read', () => {
    const story = tellStory('o-1', {
      ...orderLog,
      deadLetters: { unreadable: 'Permissions Violation' },
    })!;
    expect(story.steps.some(({ kind }) => kind === 'dead-letter')).toBe(false);
    expect(formatStory(story)).toMatch(
      /\n\ndead letters not shown: they could not be read \(Permissions Violation\)$/,
    );
  });
});
