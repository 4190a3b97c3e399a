import { streams, type Envelope } from '@orderflow/contracts';
import { bearer, developmentToken, graphql, waitFor } from '@orderflow/stack';
import { foreignEvent, orderInput, startOrderHarness, type OrderHarness } from './support';

const ORDER = `query ($id: ID!) {
  order(id: $id) {
    id status failureReason failureDetail
    history { status previousStatus cause { type id } event { type } reason version }
  }
}`;
const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
const CANCEL = `mutation ($id: ID!, $reason: String) {
  cancelOrder(id: $id, reason: $reason) { id status failureReason failureDetail }
}`;

interface OrderView {
  id: string;
  status: string;
  failureReason: string | null;
  failureDetail: string | null;
  history: {
    status: string;
    previousStatus: string | null;
    cause: { type: string; id: string };
    event: { type: string };
    reason: string | null;
    version: number;
  }[];
}

const DEADLINE_MS = 400;

describe('the order saga on real servers', () => {
  let harness: OrderHarness;
  const publish = (event: Envelope) => harness.publish(event);

  const request = async <T>(query: string, variables: Record<string, unknown>) =>
    graphql<T>(harness.service.url, query, variables, bearer(developmentToken('alice')));

  const order = async (id: string) =>
    (await request<{ order: OrderView }>(ORDER, { id })).data!.order;

  const reaching = async (id: string, status: string) => {
    await waitFor(
      `order ${id} to reach ${status}`,
      async () => (await order(id)).status === status,
    );
    return order(id);
  };

  const place = async () =>
    (await request<{ placeOrder: { id: string } }>(PLACE, { input: orderInput() })).data!.placeOrder
      .id;

  const orderEvents = async () =>
    (await harness.nats.jsm.streams.info(streams.order.name)).state.messages;

  beforeAll(async () => {
    harness = await startOrderHarness({
      ORDER_DEADLINE_INVENTORY_MS: String(DEADLINE_MS),
      ORDER_DEADLINE_POLL_MS: '50',
    });
  });
  afterAll(() => harness?.stop());

  it('follows every answer to COMPLETED and tells the whole history', async () => {
    const id = await place();
    await publish(
      foreignEvent('InventoryReserved', id, {
        orderId: id,
        lines: [{ sku: 'KB-001', quantity: 2 }],
      }),
    );
    await reaching(id, 'INVENTORY_RESERVED');
    const amount = { amount: 20700, currency: 'USD' };
    await publish(
      foreignEvent('PaymentCaptured', id, {
        orderId: id,
        paymentId: 'pay-1',
        amount,
        method: 'pm_card_visa',
      }),
    );
    await reaching(id, 'PAYMENT_CAPTURED');
    await publish(
      foreignEvent('ShipmentDispatched', id, { orderId: id, carrier: 'SIM', trackingNumber: 'T1' }),
    );
    await reaching(id, 'SHIPPED');

    const refused = await request(CANCEL, { id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/can no longer be cancelled/);

    await publish(foreignEvent('ShipmentDelivered', id, { orderId: id, trackingNumber: 'T1' }, 2));
    const done = await reaching(id, 'COMPLETED');
    expect(
      done.history.map((change) => [change.previousStatus, change.status, change.cause.type]),
    ).toEqual([
      [null, 'CREATED', 'request'],
      ['CREATED', 'INVENTORY_RESERVED', 'InventoryReserved'],
      ['INVENTORY_RESERVED', 'PAYMENT_CAPTURED', 'PaymentCaptured'],
      ['PAYMENT_CAPTURED', 'SHIPPED', 'ShipmentDispatched'],
      ['SHIPPED', 'COMPLETED', 'ShipmentDelivered'],
    ]);
  });

  it('cancels on request before shipping, once', async () => {
    const id = await place();
    await publish(
      foreignEvent('InventoryReserved', id, {
        orderId: id,
        lines: [{ sku: 'KB-001', quantity: 2 }],
      }),
    );
    await reaching(id, 'INVENTORY_RESERVED');

    const first = await request<{ cancelOrder: OrderView }>(CANCEL, {
      id,
      reason: 'changed my mind',
    });
    expect(first.data?.cancelOrder).toMatchObject({
      status: 'CANCELLED',
      failureReason: 'CUSTOMER_CANCELLED',
      failureDetail: 'changed my mind',
    });
    const events = await orderEvents();
    const again = await request<{ cancelOrder: OrderView }>(CANCEL, { id });
    expect(again.data?.cancelOrder.status).toBe('CANCELLED');
    expect(await orderEvents()).toBe(events);
  });

  it('cancels as PAYMENT_DECLINED when payment fails, and as SHIPMENT_FAILED when the carrier does', async () => {
    const declined = await place();
    await publish(
      foreignEvent('InventoryReserved', declined, {
        orderId: declined,
        lines: [{ sku: 'KB-001', quantity: 2 }],
      }),
    );
    await reaching(declined, 'INVENTORY_RESERVED');
    const amount = { amount: 20700, currency: 'USD' };
    await publish(
      foreignEvent('PaymentFailed', declined, {
        orderId: declined,
        amount,
        method: 'pm_card_chargeDeclined',
        reason: 'DECLINED',
        detail: 'your card was declined',
      }),
    );
    expect(await reaching(declined, 'CANCELLED')).toMatchObject({
      failureReason: 'PAYMENT_DECLINED',
    });

    const lost = await place();
    await publish(
      foreignEvent('InventoryReserved', lost, {
        orderId: lost,
        lines: [{ sku: 'KB-001', quantity: 2 }],
      }),
    );
    await reaching(lost, 'INVENTORY_RESERVED');
    await publish(
      foreignEvent('PaymentCaptured', lost, {
        orderId: lost,
        paymentId: 'p',
        amount,
        method: 'pm_card_visa',
      }),
    );
    await reaching(lost, 'PAYMENT_CAPTURED');
    await publish(
      foreignEvent('ShipmentFailed', lost, {
        orderId: lost,
        reason: 'CARRIER_REJECTED',
        detail: 'no service',
      }),
    );
    expect(await reaching(lost, 'CANCELLED')).toMatchObject({ failureReason: 'SHIPMENT_FAILED' });
  });

  it('times out an order nobody answers, even when its deadline passes while the service is down', async () => {
    const id = await place();
    const placedAt = Date.now();
    await harness.restart(() =>
      waitFor('the deadline to pass', () => Date.now() > placedAt + DEADLINE_MS),
    );

    const timedOut = await reaching(id, 'CANCELLED');
    expect(timedOut.failureReason).toBe('TIMED_OUT');
    expect(timedOut.failureDetail).toMatch(/no answer within 0.4 s while waiting for inventory/);
    expect(timedOut.history.at(-1)?.cause.type).toBe('deadline');

    // Inventory's late answer is not applied; inventory itself compensates on OrderCancelled.
    const events = await orderEvents();
    await publish(
      foreignEvent('InventoryReserved', id, {
        orderId: id,
        lines: [{ sku: 'KB-001', quantity: 2 }],
      }),
    );
    await waitFor('the late answer to be consumed', async () => {
      const info = await harness.nats.jsm.consumers.info(streams.inventory.name, 'order-saga');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(await orderEvents()).toBe(events);
    expect((await order(id)).status).toBe('CANCELLED');
  });

  it('follows an answer that reached the log before its deadline, though the process that took it died before its ack', async () => {
    const id = await place();
    const placedAt = Date.now();
    await harness.restart(async () => {
      await publish(
        foreignEvent('InventoryReserved', id, {
          orderId: id,
          lines: [{ sku: 'KB-001', quantity: 2 }],
        }),
      );
      // Taken and never acknowledged, as by a process killed mid-message: JetStream hands it
      // out again only after the 30 s ack wait, long after the order's deadline.
      const consumer = await harness.nats.js.consumers.get(streams.inventory.name, 'order-saga');
      const taken = await consumer.next();
      expect(taken?.subject).toBe(`inventory.events.reservation.${id}`);
      await waitFor('the deadline to pass', () => Date.now() > placedAt + DEADLINE_MS);
    });

    const reserved = await reaching(id, 'INVENTORY_RESERVED');
    expect(reserved.history.at(-1)?.cause.type).toBe('InventoryReserved');
  });
});
