import {
  subjectOf,
  type DomainEvent,
  type Envelope,
  type EnvelopeMeta,
} from '@orderflow/contracts';
import { randomId } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { orderReactions, type OrderReactions } from '../src/application/order-reactions';
import type {
  CaptureRequest,
  PaymentProvider,
  RefundRequest,
} from '../src/application/payment-provider';
import { createPaymentRepository } from '../src/application/payment-repository';
import type { CaptureOutcome } from '../src/domain/payment';

const ORDER = 'o-1';
const amount = { amount: 4200, currency: 'USD' };

/** What every order event carries besides its type and data. */
const meta = (): EnvelopeMeta => ({
  id: randomId(),
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  aggregateId: ORDER,
  aggregateVersion: 2,
  correlationId: ORDER,
  causationId: 'order-cause',
});

const inventoryReserved = (
  paymentMethod = 'pm_card_visa',
): Envelope<DomainEvent<'OrderInventoryReserved'>> => ({
  ...meta(),
  type: 'OrderInventoryReserved',
  data: { orderId: ORDER, amount, paymentMethod },
});

const orderCancelled = (): Envelope<DomainEvent<'OrderCancelled'>> => ({
  ...meta(),
  type: 'OrderCancelled',
  data: { orderId: ORDER, reason: 'CUSTOMER_CANCELLED' },
});

/** Counts every call; answers what the test sets. */
class FakeProvider implements PaymentProvider {
  readonly captures: CaptureRequest[] = [];
  readonly refunds: RefundRequest[] = [];
  answer: CaptureOutcome = { kind: 'captured', paymentId: 'pay_1' };
  /** Thrown once by the next capture, after the call: an outage or a timeout. */
  outage: Error | undefined;
  /** Runs while the provider is charging: what another replica does meanwhile. */
  whileCapturing: (() => Promise<void>) | undefined;

  async capture(request: CaptureRequest) {
    this.captures.push(request);
    await this.whileCapturing?.();
    const outage = this.outage;
    this.outage = undefined;
    if (outage) throw outage;
    return this.answer;
  }

  async refund(request: RefundRequest) {
    this.refunds.push(request);
    return { refundId: `re_${request.paymentId}` };
  }
}

describe('payment reactions to the order', () => {
  let store: MemoryEventStore;
  let provider: FakeProvider;
  let reactions: OrderReactions;

  /** Another process of the service: same log and provider, nothing cached. */
  const replica = () => orderReactions(createPaymentRepository(store), provider);
  const payment = () => store.events(subjectOf('PaymentCaptured', ORDER));
  const paymentTypes = () => payment().map((e) => e.type);

  beforeEach(() => {
    store = new MemoryEventStore();
    provider = new FakeProvider();
    reactions = replica();
  });

  it('captures through the provider and records it, caused by the order event', async () => {
    const event = inventoryReserved();

    await reactions.onOrderInventoryReserved(event);

    expect(provider.captures).toEqual([
      { idempotencyKey: `capture/${ORDER}`, amount, method: 'pm_card_visa' },
    ]);
    expect(payment()).toMatchObject([
      {
        type: 'PaymentCaptured',
        correlationId: ORDER,
        causationId: event.id,
        causationType: 'OrderInventoryReserved',
        data: { orderId: ORDER, paymentId: 'pay_1', amount, method: 'pm_card_visa' },
      },
    ]);
  });

  it('records a decline as a failure', async () => {
    provider.answer = { kind: 'declined', detail: 'your card was declined' };

    await reactions.onOrderInventoryReserved(inventoryReserved('pm_card_chargeDeclined'));

    expect(payment()).toMatchObject([
      {
        type: 'PaymentFailed',
        data: { reason: 'DECLINED', detail: 'your card was declined', amount },
      },
    ]);
  });

  it('calls the provider once however often OrderInventoryReserved is delivered', async () => {
    const event = inventoryReserved();

    await reactions.onOrderInventoryReserved(event);
    await reactions.onOrderInventoryReserved(event);
    await replica().onOrderInventoryReserved(event);

    expect(provider.captures).toHaveLength(1);
    expect(paymentTypes()).toEqual(['PaymentCaptured']);
  });

  it('records nothing on a provider outage, and the retry asks with the same key', async () => {
    const event = inventoryReserved();
    provider.outage = new Error('provider timed out');

    await expect(reactions.onOrderInventoryReserved(event)).rejects.toThrow('provider timed out');
    expect(payment()).toEqual([]);

    await reactions.onOrderInventoryReserved(event);

    expect(provider.captures.map((c) => c.idempotencyKey)).toEqual([
      `capture/${ORDER}`,
      `capture/${ORDER}`,
    ]);
    expect(paymentTypes()).toEqual(['PaymentCaptured']);
  });

  it('cancels before the capture, so a late OrderInventoryReserved never charges', async () => {
    await reactions.onOrderCancelled(orderCancelled());
    await reactions.onOrderInventoryReserved(inventoryReserved());

    expect(provider.captures).toEqual([]);
    expect(provider.refunds).toEqual([]);
    expect(paymentTypes()).toEqual(['PaymentCancelled']);
  });

  it('refunds a capture exactly once, even when OrderCancelled is delivered twice', async () => {
    const cancelledEvent = orderCancelled();
    await reactions.onOrderInventoryReserved(inventoryReserved());

    await reactions.onOrderCancelled(cancelledEvent);
    await reactions.onOrderCancelled(cancelledEvent);
    await replica().onOrderCancelled(cancelledEvent);

    expect(provider.refunds).toEqual([
      { idempotencyKey: `refund/${ORDER}`, paymentId: 'pay_1', amount },
    ]);
    expect(payment()).toMatchObject([
      { type: 'PaymentCaptured' },
      {
        type: 'PaymentRefunded',
        causationId: cancelledEvent.id,
        data: { orderId: ORDER, paymentId: 'pay_1', amount, refundId: 're_pay_1' },
      },
    ]);
  });

  it('has nothing to give back for a declined payment', async () => {
    provider.answer = { kind: 'declined', detail: 'your card was declined' };
    await reactions.onOrderInventoryReserved(inventoryReserved('pm_card_chargeDeclined'));

    await reactions.onOrderCancelled(orderCancelled());

    expect(provider.refunds).toEqual([]);
    expect(paymentTypes()).toEqual(['PaymentFailed']);
  });

  it('gives back a charge when another replica cancelled while the provider charged', async () => {
    provider.whileCapturing = () => replica().onOrderCancelled(orderCancelled());

    await reactions.onOrderInventoryReserved(inventoryReserved());

    expect(paymentTypes()).toEqual(['PaymentCancelled']);
    expect(provider.refunds).toEqual([
      { idempotencyKey: `refund/${ORDER}`, paymentId: 'pay_1', amount },
    ]);
  });

  it('refunds a capture another replica recorded while the cancel was decided', async () => {
    store.raceOn(subjectOf('PaymentCancelled', ORDER), () =>
      replica().onOrderInventoryReserved(inventoryReserved()),
    );

    await reactions.onOrderCancelled(orderCancelled());

    expect(paymentTypes()).toEqual(['PaymentCaptured', 'PaymentRefunded']);
    expect(provider.captures).toHaveLength(1);
    expect(provider.refunds).toHaveLength(1);
  });
});
