import type { DomainEvent, Envelope, OrderEventType } from '@orderflow/contracts';
import type { DocumentChange, DocumentUpsert } from '@orderflow/runtime';
import { ordersProcessor } from '../src/adapters/read-models/orders-processor';
import { ORDER_BUCKETS, SAGAS } from '../src/adapters/read-models/views';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const usd = { amount: 250, currency: 'USD' };

let seq = 0;
const event = <T extends OrderEventType>(
  type: T,
  orderId: string,
  at: number,
  data: DomainEvent<T>['data'],
): Envelope =>
  ({
    id: `e-${++seq}`,
    type,
    version: 1,
    occurredAt: new Date(at).toISOString(),
    aggregateId: orderId,
    aggregateVersion: seq,
    correlationId: orderId,
    causationId: 'test',
    data,
  }) as Envelope;

const created = (orderId: string, at: number) =>
  event('OrderCreated', orderId, at, {
    orderId,
    customerId: 'c',
    lines: [{ sku: 'SKU-1', quantity: 3, unitPrice: usd }],
    total: { amount: 750, currency: 'USD' },
    paymentMethod: 'pm_card_visa',
    shippingAddress: { name: 'A', line1: '1', city: 'T', postalCode: '1', country: 'GB' },
    placedAt: new Date(at).toISOString(),
  });

const buckets = (changes: readonly DocumentChange[]) =>
  changes.filter((c): c is DocumentUpsert => c.collection === ORDER_BUCKETS && !('remove' in c));
const ids = (changes: readonly DocumentChange[]) => buckets(changes).map((c) => c.id);

describe('the ORDER stream processor', () => {
  it('given an order placed, counts it, its units and its line totals in its minute', () => {
    const processor = ordersProcessor(60_000);
    const changes = processor.project(created('o-1', T0 + 5_000));
    expect(ids(changes)).toEqual([
      `ORDERS_PLACED|${T0}|GB`,
      `PRODUCT_UNITS|${T0}|SKU-1`,
      `PRODUCT_REVENUE|${T0}|SKU-1/USD`,
    ]);
    expect(buckets(changes)[1]?.increment).toEqual({ count: 1, sum: 3 });
    expect(buckets(changes)[2]?.increment).toEqual({ count: 1, sum: 750 });
    expect(changes.find((c) => c.collection === SAGAS)).toMatchObject({
      id: 'o-1',
      set: { status: 'CREATED', endedAt: null },
      setOnInsert: { createdAt: T0 + 5_000 },
    });
  });

  it('when it is cancelled, counts the failure at the step it waited on, with its duration', () => {
    const processor = ordersProcessor(60_000);
    processor.project(created('o-2', T0));
    processor.project(
      event('OrderInventoryReserved', 'o-2', T0 + 1_000, {
        orderId: 'o-2',
        amount: usd,
        paymentMethod: 'pm_card_visa',
      }),
    );
    const changes = processor.project(
      event('OrderCancelled', 'o-2', T0 + 4_000, { orderId: 'o-2', reason: 'PAYMENT_DECLINED' }),
    );
    expect(ids(changes)).toEqual([
      `ORDERS_FAILED|${T0}|PAYMENT/PAYMENT_DECLINED`,
      `SAGA_DURATION|${T0}|CANCELLED`,
    ]);
    expect(buckets(changes)[1]?.set).toMatchObject({ count: 1 });
    expect(changes.find((c) => c.collection === SAGAS)).toMatchObject({
      set: { status: 'CANCELLED', endedAt: T0 + 4_000 },
    });
  });

  it('counts an event older than the watermark less the lateness as late, in no bucket', () => {
    const processor = ordersProcessor(60_000);
    processor.project(created('o-3', T0 + 10 * 60_000));
    const late = processor.project(created('o-4', T0));
    expect(ids(late)).toEqual([]);
    expect(late.find((c) => c.collection === SAGAS)).toMatchObject({ id: 'o-4' });
    expect(late.at(-1)).toMatchObject({ set: { late: 1 } });
  });

  it('puts an out-of-order event within the lateness in its own bucket', () => {
    const processor = ordersProcessor(60_000);
    processor.project(created('o-5', T0 + 90_000));
    expect(ids(processor.project(created('o-6', T0 + 45_000)))).toContain(`ORDERS_PLACED|${T0}|GB`);
  });

  it('ignores what it cannot place: an order it never saw created', () => {
    const processor = ordersProcessor(0);
    const changes = processor.project(
      event('OrderCompleted', 'o-unknown', T0, { orderId: 'o-unknown' }),
    );
    expect(ids(changes)).toEqual([]);
  });
});
