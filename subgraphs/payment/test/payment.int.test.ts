import {
  encodeEnvelope,
  streams,
  subjectOf,
  type DomainEvent,
  type Envelope,
  type EnvelopeMeta,
  type EventData,
} from '@orderflow/contracts';
import {
  connectNats,
  ensureStream,
  JetStreamEventStore,
  randomId,
  startServiceAgainst,
  type Nats,
  type RunningService,
} from '@orderflow/runtime';
import {
  bearer,
  developmentToken,
  graphqlData,
  startTestInfra,
  waitFor,
  type TestInfra,
} from '@orderflow/stack';
import { paymentService } from '../src/service';

const amount = { amount: 4200, currency: 'USD' };

const meta = (orderId: string, aggregateVersion: number): EnvelopeMeta => ({
  id: randomId(),
  occurredAt: new Date().toISOString(),
  version: 1,
  aggregateId: orderId,
  aggregateVersion,
  correlationId: orderId,
  causationId: randomId(),
});

const inventoryReserved = (
  orderId: string,
  paymentMethod: string,
): Envelope<DomainEvent<'OrderInventoryReserved'>> => ({
  ...meta(orderId, 2),
  type: 'OrderInventoryReserved',
  data: { orderId, amount, paymentMethod },
});

const orderCreated = (
  orderId: string,
  customerId: string,
): Envelope<DomainEvent<'OrderCreated'>> => ({
  ...meta(orderId, 1),
  type: 'OrderCreated',
  data: {
    orderId,
    customerId,
    lines: [{ sku: 'KB-001', quantity: 1, unitPrice: amount }],
    total: amount,
    paymentMethod: 'pm_card_visa',
    shippingAddress: { name: 'Bo', line1: '1 Road', city: 'Town', postalCode: '1', country: 'GB' },
    placedAt: new Date().toISOString(),
  },
});

const orderCancelled = (orderId: string): Envelope<DomainEvent<'OrderCancelled'>> => ({
  ...meta(orderId, 3),
  type: 'OrderCancelled',
  data: { orderId, reason: 'CUSTOMER_CANCELLED' },
});

interface OrderPayment {
  id: string;
  payment: {
    id: string | null;
    status: string;
    amount: { amount: number; currency: string } | null;
    method: string | null;
    failureReason: string | null;
    refundId: string | null;
  } | null;
}

const ENTITIES = `query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Order { id payment { id status amount { amount currency } method failureReason refundId } }
  }
}`;

/** The payment service on its own nats-server and MongoDB-wire server, with the order's stream. */
const startPayment = (env: Record<string, string> = {}) => {
  let infra: TestInfra;
  let nats: Nats;
  let orders: JetStreamEventStore;
  let service: RunningService;
  beforeAll(async () => {
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'payment-int-test');
    await ensureStream(nats.jsm, streams.order);
    orders = new JetStreamEventStore(nats, streams.order.name);
    service = await startServiceAgainst(
      paymentService,
      { natsUrl: infra.nats.url, dataDir: infra.dir },
      { PAYMENT_SIMULATOR_LATENCY_MS: '0', ...env },
    );
  });
  afterAll(async () => {
    await service?.stop();
    await nats?.connection.close();
    await infra?.stop();
  });

  /** Appends as the order service would; returns the ORDER stream sequence. */
  const append = async (event: Envelope) => {
    const subject = subjectOf(event.type, event.aggregateId);
    return orders.append(subject, [event], await orders.lastSequence(subject));
  };

  /** The same envelope as a new message: what a redelivery or a duplicate publish looks like. */
  const republish = async (event: Envelope) => {
    const subject = subjectOf(event.type, event.aggregateId);
    const ack = await nats.js.publish(subject, encodeEnvelope(event), {
      msgID: randomId(),
    });
    return ack.seq;
  };

  /** Until `payment-saga` has acknowledged the ORDER message at `seq`: its effects are stored. */
  const sagaHandled = (seq: number) =>
    waitFor(`the payment saga to handle ORDER message ${seq}`, async () => {
      const info = await nats.jsm.consumers.info(streams.order.name, 'payment-saga');
      return info.ack_floor.stream_seq >= seq;
    });

  const paymentEvents = async (orderId: string) =>
    (
      await service.infrastructure
        .store(streams.payment)
        .read(subjectOf('PaymentCaptured', orderId))
    ).map((stored) => stored.envelope);

  const paymentTypes = async (orderId: string) =>
    (await paymentEvents(orderId)).map((event) => event.type);

  /** What `viewer` (an admin unless named) sees of these orders' payments. */
  const paymentsSeenBy = async (viewer: string, ...orderIds: string[]) =>
    (
      await graphqlData<{ _entities: OrderPayment[] }>(
        service.url,
        ENTITIES,
        { r: orderIds.map((id) => ({ __typename: 'Order', id })) },
        bearer(developmentToken(viewer, { admin: viewer === 'ops' })),
      )
    )._entities;
  const orderPayments = (...orderIds: string[]) => paymentsSeenBy('ops', ...orderIds);

  /** Until the read model shows the order's payment in `status`. */
  const shown = async (orderId: string, status: string) => {
    let found: OrderPayment | undefined;
    await waitFor(`order ${orderId} to show a ${status} payment`, async () => {
      [found] = await orderPayments(orderId);
      return found?.payment?.status === status;
    });
    return found!.payment!;
  };

  return {
    append,
    republish,
    sagaHandled,
    paymentEvents,
    paymentTypes,
    orderPayments,
    paymentsSeenBy,
    shown,
  };
};

describe('the payment service on real servers', () => {
  const { append, sagaHandled, paymentEvents, paymentTypes, orderPayments, paymentsSeenBy, shown } =
    startPayment();

  it('shows a customer the payment of their own order only, asked directly', async () => {
    await append(orderCreated('order-bobs', 'bob'));
    await sagaHandled(await append(inventoryReserved('order-bobs', 'pm_card_visa')));
    await shown('order-bobs', 'CAPTURED');

    const [byBob] = await paymentsSeenBy('bob', 'order-bobs');
    const [byAlice] = await paymentsSeenBy('alice', 'order-bobs');

    expect(byBob?.payment?.status).toBe('CAPTURED');
    expect(byAlice).toEqual({ id: 'order-bobs', payment: null });
  });

  it('captures pm_card_visa and shows the payment on the order', async () => {
    const reserved = inventoryReserved('order-visa', 'pm_card_visa');

    await sagaHandled(await append(reserved));

    const [captured] = await paymentEvents('order-visa');
    expect(captured).toMatchObject({
      type: 'PaymentCaptured',
      correlationId: 'order-visa',
      causationId: reserved.id,
      data: { orderId: 'order-visa', amount, method: 'pm_card_visa' },
    });
    const { paymentId } = captured!.data as EventData<'PaymentCaptured'>;
    expect(paymentId).toMatch(/^pay_/);
    expect(await shown('order-visa', 'CAPTURED')).toEqual({
      id: paymentId,
      status: 'CAPTURED',
      amount,
      method: 'pm_card_visa',
      failureReason: null,
      refundId: null,
    });
  });

  it('records a decline of pm_card_chargeDeclined', async () => {
    await sagaHandled(await append(inventoryReserved('order-declined', 'pm_card_chargeDeclined')));

    expect(await paymentEvents('order-declined')).toMatchObject([
      {
        type: 'PaymentFailed',
        data: { reason: 'DECLINED', detail: 'your card was declined', amount },
      },
    ]);
    expect(await shown('order-declined', 'FAILED')).toMatchObject({
      id: null,
      amount,
      failureReason: 'your card was declined',
    });
  });

  it('refunds a captured order exactly once when it is cancelled', async () => {
    await sagaHandled(await append(inventoryReserved('order-refund', 'pm_card_visa')));
    const cancelled = orderCancelled('order-refund');

    await sagaHandled(await append(cancelled));

    const [captured, refund] = await paymentEvents('order-refund');
    expect(await paymentTypes('order-refund')).toEqual(['PaymentCaptured', 'PaymentRefunded']);
    const { paymentId } = captured!.data as EventData<'PaymentCaptured'>;
    const { refundId } = refund!.data as EventData<'PaymentRefunded'>;
    expect(refund).toMatchObject({ causationId: cancelled.id, data: { paymentId, amount } });
    expect(await shown('order-refund', 'REFUNDED')).toMatchObject({
      id: paymentId,
      amount,
      refundId,
    });
  });

  it('cancels a payment not yet captured, so a late reservation charges nothing', async () => {
    await sagaHandled(await append(orderCancelled('order-early')));
    await sagaHandled(await append(inventoryReserved('order-early', 'pm_card_visa')));

    expect(await paymentTypes('order-early')).toEqual(['PaymentCancelled']);
    expect(await shown('order-early', 'CANCELLED')).toEqual({
      id: null,
      status: 'CANCELLED',
      amount: null,
      method: null,
      failureReason: null,
      refundId: null,
    });
  });

  it('shows no payment for an order payment has not acted on', async () => {
    expect(await orderPayments('order-unknown')).toEqual([{ id: 'order-unknown', payment: null }]);
  });
});

describe('the payment service when every message is delivered twice', () => {
  const { append, republish, sagaHandled, paymentTypes } = startPayment({
    FAULT_DUPLICATE_DELIVERY: 'true',
  });

  it('captures once and refunds once', async () => {
    const reserved = inventoryReserved('order-twice', 'pm_card_visa');
    await sagaHandled(await append(reserved));
    await sagaHandled(await republish(reserved));
    expect(await paymentTypes('order-twice')).toEqual(['PaymentCaptured']);

    const cancelled = orderCancelled('order-twice');
    await sagaHandled(await append(cancelled));
    await sagaHandled(await republish(cancelled));

    expect(await paymentTypes('order-twice')).toEqual(['PaymentCaptured', 'PaymentRefunded']);
  });
});
