import {
  streams,
  subjectOf,
  type DomainEvent,
  type Envelope,
  type EventType,
} from '@orderflow/contracts';
import { JetStreamEventStore, randomId, type Nats } from '@orderflow/runtime';

const BASE = Date.parse('2026-01-01T10:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });
const eur = (amount: number) => ({ amount, currency: 'EUR' });

type Outcome = 'completed' | 'out-of-stock' | 'declined' | 'cancelled-after-capture';
const outcomes: readonly Outcome[] = [
  'completed',
  'completed',
  'out-of-stock',
  'declined',
  'cancelled-after-capture',
];

/** One event of a saga, where it goes and when it happened. */
interface Planned {
  readonly type: EventType;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
  readonly at: number;
  readonly data: unknown;
}

/**
 * The events of `count` sagas with known outcomes, a second apart, each taking seconds to
 * minutes of event time; their orders and payments in log order per stream.
 */
export const plannedSagas = (count: number, from = 0) => {
  const order: Planned[] = [];
  const payment: Planned[] = [];
  for (let i = from; i < from + count; i++) {
    const orderId = `order-${i}`;
    const start = BASE + i * 1_000;
    const price = i % 3 === 0 ? eur(1_000 + i) : usd(500 + i);
    const quantity = 1 + (i % 4);
    const total = { ...price, amount: price.amount * quantity };
    const outcome = outcomes[i % outcomes.length]!;
    let version = 0;
    const step = (type: EventType, offsetMs: number, data: unknown) =>
      order.push({
        type,
        aggregateId: orderId,
        aggregateVersion: ++version,
        at: start + offsetMs,
        data,
      });
    const pay = (type: EventType, offsetMs: number, data: unknown, paymentVersion: number) =>
      payment.push({
        type,
        aggregateId: orderId,
        aggregateVersion: paymentVersion,
        at: start + offsetMs,
        data,
      });
    step('OrderCreated', 0, {
      orderId,
      customerId: `customer-${i % 7}`,
      lines: [{ sku: `SKU-${i % 5}`, quantity, unitPrice: price }],
      total,
      paymentMethod: 'pm_card_visa',
      shippingAddress: { name: 'A', line1: '1 Road', city: 'Town', postalCode: '1', country: 'GB' },
      placedAt: new Date(start).toISOString(),
    });
    if (outcome === 'out-of-stock') {
      step('OrderCancelled', 300 + (i % 50), { orderId, reason: 'OUT_OF_STOCK' });
      continue;
    }
    step('OrderInventoryReserved', 200, { orderId, amount: total, paymentMethod: 'pm_card_visa' });
    if (outcome === 'declined') {
      pay(
        'PaymentFailed',
        900,
        { orderId, amount: total, method: 'pm_card_visa', reason: 'DECLINED', detail: 'no' },
        1,
      );
      step('OrderCancelled', 1_000 + (i % 300), { orderId, reason: 'PAYMENT_DECLINED' });
      continue;
    }
    pay(
      'PaymentCaptured',
      900,
      { orderId, paymentId: `pay-${i}`, amount: total, method: 'pm_card_visa' },
      1,
    );
    step('OrderPaymentCaptured', 1_000, {
      orderId,
      paymentId: `pay-${i}`,
      lines: [{ sku: `SKU-${i % 5}`, quantity }],
      shippingAddress: { name: 'A', line1: '1 Road', city: 'Town', postalCode: '1', country: 'GB' },
    });
    if (outcome === 'cancelled-after-capture') {
      step('OrderCancelled', 2_000 + (i % 700), { orderId, reason: 'CUSTOMER_CANCELLED' });
      pay(
        'PaymentRefunded',
        2_500,
        { orderId, paymentId: `pay-${i}`, amount: total, refundId: `ref-${i}` },
        2,
      );
      continue;
    }
    step('OrderShipped', 3_000, { orderId, trackingNumber: `TRACK-${i}` });
    step('OrderCompleted', 5_000 + (i % 90) * 1_000, { orderId });
  }
  // In the order things happened, as the services would append them.
  const byTime = (a: Planned, b: Planned) => a.at - b.at;
  return { order: order.sort(byTime), payment: payment.sort(byTime) };
};

const envelope = (planned: Planned): Envelope =>
  ({
    id: randomId(),
    type: planned.type,
    version: 1,
    occurredAt: new Date(planned.at).toISOString(),
    aggregateId: planned.aggregateId,
    aggregateVersion: planned.aggregateVersion,
    correlationId: planned.aggregateId,
    causationId: randomId(),
    data: planned.data,
  }) as Envelope<DomainEvent>;

/** Appends as the order and payment services would, one event at a time. */
export const appendPlanned = async (
  nats: Nats,
  planned: readonly Planned[],
  stream: 'order' | 'payment',
) => {
  const store = new JetStreamEventStore(nats, streams[stream].name);
  for (const event of planned) {
    const subject = subjectOf(event.type, event.aggregateId);
    await store.append(subject, [envelope(event)], await store.lastSequence(subject));
  }
};

/** An order created long before everything else: older than any open bucket, so late. */
export const lateOrder = (): Planned => ({
  type: 'OrderCreated',
  aggregateId: 'order-late',
  aggregateVersion: 1,
  at: BASE - 3_600_000,
  data: {
    orderId: 'order-late',
    customerId: 'customer-late',
    lines: [{ sku: 'SKU-LATE', quantity: 1, unitPrice: usd(100) }],
    total: usd(100),
    paymentMethod: 'pm_card_visa',
    shippingAddress: { name: 'A', line1: '1 Road', city: 'Town', postalCode: '1', country: 'GB' },
    placedAt: new Date(BASE - 3_600_000).toISOString(),
  },
});

export const LOG_START = BASE;
