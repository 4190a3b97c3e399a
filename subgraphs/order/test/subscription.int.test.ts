import { streams, type Envelope } from '@orderflow/contracts';
import { bearer, developmentToken, graphql, subscribe, waitFor } from '@orderflow/stack';
import { foreignEvent, orderInput, startOrderHarness, type OrderHarness } from './support';

const WATCH = `subscription ($orderId: ID, $sinceVersion: Int) {
  orderStatusChanged(orderId: $orderId, sinceVersion: $sinceVersion) {
    orderId status previousStatus version cause { type }
    order { id status version }
  }
}`;
const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id version } }`;

interface Change {
  orderStatusChanged: {
    orderId: string;
    status: string;
    previousStatus: string | null;
    version: number;
    cause: { type: string };
    order: { id: string; status: string; version: number };
  };
}

describe('orderStatusChanged on the order subgraph', () => {
  let harness: OrderHarness;
  const publish = (event: Envelope) => harness.publish(event);

  const orderConsumers = async () => {
    const names = new Set<string>();
    for await (const consumer of harness.nats.jsm.consumers.list(streams.order.name)) {
      names.add(consumer.name);
    }
    return names;
  };
  /** A live subscription is a new ordered consumer on ORDER (others may come and go meanwhile). */
  const started = async (before: Set<string>) =>
    [...(await orderConsumers())].some((name) => !before.has(name));
  /** Subscriptions to every order share one consumer: the service counts their followers. */
  const followersOfEveryOrder = async () => {
    const metrics = await (await fetch(new URL('/metrics', harness.service.url))).text();
    const sample = /^orderflow_live_followers\{filter="order\.events\.order\.\*"\} (\d+)$/m.exec(
      metrics,
    );
    return Number(sample?.[1] ?? 0);
  };

  const place = async (customerId = 'alice') => {
    const result = await graphql<{ placeOrder: { id: string; version: number } }>(
      harness.service.url,
      PLACE,
      { input: orderInput() },
      bearer(developmentToken(customerId)),
    );
    return result.data!.placeOrder;
  };

  const reserve = (id: string) =>
    publish(
      foreignEvent('InventoryReserved', id, {
        orderId: id,
        lines: [{ sku: 'KB-001', quantity: 2 }],
      }),
    );
  const capture = (id: string) =>
    publish(
      foreignEvent('PaymentCaptured', id, {
        orderId: id,
        paymentId: 'pay',
        amount: { amount: 20700, currency: 'USD' },
        method: 'pm_card_visa',
      }),
    );

  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness?.stop());

  it('replays every change after sinceVersion, then goes on live, in order, none twice', async () => {
    const { id, version } = await place();
    await reserve(id);
    await waitFor(
      'the reservation',
      async () =>
        (
          await harness.service.infrastructure.documents
            .collection<{ _id: string; status: string }>('orders')
            .get(id)
        )?.status === 'INVENTORY_RESERVED',
    );

    const watch = subscribe<Change>(
      harness.service.url,
      WATCH,
      { orderId: id, sinceVersion: version },
      bearer(developmentToken('alice')),
    );
    const [replayed] = await watch.next(1);
    expect(replayed!.orderStatusChanged).toMatchObject({
      orderId: id,
      status: 'INVENTORY_RESERVED',
      previousStatus: 'CREATED',
      version: 2,
      cause: { type: 'InventoryReserved' },
      order: { id },
    });

    await capture(id);
    const changes = await watch.next(2);
    expect(changes.map((c) => [c.orderStatusChanged.version, c.orderStatusChanged.status])).toEqual(
      [
        [2, 'INVENTORY_RESERVED'],
        [3, 'PAYMENT_CAPTURED'],
      ],
    );
    expect(changes[1]!.orderStatusChanged.previousStatus).toBe('INVENTORY_RESERVED');
    await watch.close();
  });

  it('without sinceVersion, delivers only what happens from now on', async () => {
    const { id } = await place();
    await reserve(id);
    await waitFor(
      'the reservation',
      async () =>
        (
          await harness.service.infrastructure.documents
            .collection<{ _id: string; status: string }>('orders')
            .get(id)
        )?.status === 'INVENTORY_RESERVED',
    );

    const before = await orderConsumers();
    const watch = subscribe<Change>(
      harness.service.url,
      WATCH,
      { orderId: id },
      bearer(developmentToken('alice')),
    );
    await waitFor('the subscription to start', () => started(before));
    await capture(id);
    const [only] = await watch.next(1);
    expect(only!.orderStatusChanged).toMatchObject({
      status: 'PAYMENT_CAPTURED',
      previousStatus: 'INVENTORY_RESERVED',
      version: 3,
    });
    await watch.close();
  });

  it("streams every order of the viewer's own, and no one else's", async () => {
    const watch = subscribe<Change>(
      harness.service.url,
      WATCH,
      {},
      bearer(developmentToken('bob')),
    );
    await waitFor('the subscription to start', async () => (await followersOfEveryOrder()) === 1);
    await place('alice');
    const bobs = await place('bob');

    const [first] = await watch.next(1);
    expect(first!.orderStatusChanged).toMatchObject({ orderId: bobs.id, status: 'CREATED' });
    expect(watch.received).toHaveLength(1);
    await watch.close();
  });

  it.each([
    ["another customer's order", { orderId: 'mine' }, 'NOT_FOUND'],
    ['sinceVersion without an orderId', { sinceVersion: 1 }, 'BAD_USER_INPUT'],
  ])('refuses %s', async (_case, variables, code) => {
    const { id } = await place('alice');
    const watch = subscribe<Change>(
      harness.service.url,
      WATCH,
      'orderId' in variables ? { orderId: id } : variables,
      bearer(developmentToken('mallory')),
    );
    await watch.ended();
    expect(watch.errors).toMatchObject([{ extensions: { code } }]);
    await watch.close();
  });
});
