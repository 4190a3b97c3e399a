import { streams } from '@orderflow/contracts';
import { DeliverPolicy } from '@nats-io/jetstream';
import { connectNats } from '@orderflow/runtime';
import { developmentToken, subscribe, waitFor, type Subscription } from '@orderflow/stack';
import { orderInput, orderReaching, stockReaching } from './support/orderflow';
import { scrape, sumOf } from './support/prometheus';
import { audit, startTestSystem, type TestSystem } from './support/system';

const WATCH = `subscription Watch($orderId: ID, $sinceVersion: Int) {
  orderStatusChanged(orderId: $orderId, sinceVersion: $sinceVersion) {
    status
    previousStatus
    version
    order {
      id
      payment { status }
      shipment { trackingNumber }
      lines { quantity product { name } }
    }
  }
}`;

interface Change {
  orderStatusChanged: {
    status: string;
    previousStatus: string | null;
    version: number;
    order: {
      id: string;
      payment: { status: string } | null;
      shipment: { trackingNumber: string | null } | null;
      lines: { quantity: number; product: { name: string } }[];
    };
  };
}

const confirmDelivery = `mutation ($orderId: ID!) { confirmDelivery(orderId: $orderId) { status } }`;

describe('federated subscriptions through the gateway', () => {
  let running: TestSystem;
  const alice = developmentToken('alice');
  const bob = developmentToken('bob');
  const open: Subscription<unknown>[] = [];

  /** A subscription as customer alice (or another token), closed after each test. */
  const watch = (variables: Record<string, unknown>, token = alice) => {
    const subscription = subscribe<Change>(running.system.gatewayUrl, WATCH, variables, {
      authorization: `Bearer ${token}`,
    });
    open.push(subscription);
    return subscription;
  };

  /**
   * Upstream subscriptions following `filter` live: each is an ordered consumer the order service
   * holds on ORDER, delivering new events (its reads of an aggregate start from the beginning).
   */
  const liveFollowers = async (filter: string) => {
    const { connection, jsm } = await connectNats(running.system.natsAccess(), 'followers');
    try {
      let count = 0;
      for await (const { config } of jsm.consumers.list(streams.order.name)) {
        const filters = [config.filter_subject, ...(config.filter_subjects ?? [])];
        if (config.deliver_policy === DeliverPolicy.New && filters.includes(filter)) count++;
      }
      return count;
    } finally {
      await connection.close();
    }
  };
  const followersOf = (orderId: string) => liveFollowers(`order.events.order.${orderId}`);
  /** Upstream subscriptions to many orders share one consumer; the order service counts them. */
  const followersOfEveryOrder = async () =>
    sumOf(await scrape(running.system.services.order!.url), 'orderflow_live_followers', {
      filter: 'order.events.order.*',
    });

  const placeOrder = (options: Parameters<typeof orderInput>[1] = {}) =>
    running.customer.placeOrder(orderInput([{ sku: 'SUB-1', quantity: 1 }], options));

  beforeAll(async () => {
    running = await startTestSystem();
    await running.admin.createProduct('SUB-1', 2500, 100);
    await stockReaching(running.admin, 'SUB-1', { available: 100, reserved: 0 });
  }, 120_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('delivers every transition of a completed order in order, with fields of every subgraph', async () => {
    const placed = await placeOrder();
    const changes = watch({ orderId: placed.id, sinceVersion: 0 });
    await orderReaching(running.customer, placed.id, 'SHIPPED');
    await running.admin.raw(confirmDelivery, { orderId: placed.id });

    const all = (await changes.next(5)).map((change) => change.orderStatusChanged);
    expect(all.map((change) => [change.version, change.previousStatus, change.status])).toEqual([
      [1, null, 'CREATED'],
      [2, 'CREATED', 'INVENTORY_RESERVED'],
      [3, 'INVENTORY_RESERVED', 'PAYMENT_CAPTURED'],
      [4, 'PAYMENT_CAPTURED', 'SHIPPED'],
      [5, 'SHIPPED', 'COMPLETED'],
    ]);
    const last = all.at(-1)!;
    expect(last.order.payment?.status).toBe('CAPTURED');
    expect(last.order.shipment?.trackingNumber).toBeTruthy();
    expect(last.order.lines).toEqual([{ quantity: 1, product: { name: 'Product SUB-1' } }]);
  });

  it('delivers every transition of a cancelled order, then nothing more', async () => {
    const placed = await placeOrder({ paymentMethod: 'pm_card_chargeDeclined' });
    const changes = watch({ orderId: placed.id, sinceVersion: 0 });

    const all = (await changes.next(3)).map((change) => change.orderStatusChanged);
    expect(all.map((change) => change.status)).toEqual([
      'CREATED',
      'INVENTORY_RESERVED',
      'CANCELLED',
    ]);
    expect(all[2]!.order.payment?.status).toBe('FAILED');
  });

  it('resumes from sinceVersion: nothing missed, nothing twice', async () => {
    const placed = await placeOrder();
    await orderReaching(running.customer, placed.id, 'SHIPPED');

    const resumed = watch({ orderId: placed.id, sinceVersion: 2 });
    await running.admin.raw(confirmDelivery, { orderId: placed.id });
    const versions = (await resumed.next(3)).map((change) => change.orderStatusChanged.version);
    expect(versions).toEqual([3, 4, 5]);
  });

  it('shares one upstream and the per-event fetches between identical subscriptions, and frees it when both leave', async () => {
    const placed = await placeOrder();
    await orderReaching(running.customer, placed.id, 'SHIPPED');
    // Only the subscriptions' completions ask the payment subgraph for anything here.
    const paymentRequests = async () =>
      sumOf(
        await scrape(running.system.services.payment!.url),
        'orderflow_graphql_request_seconds_count',
      );

    const first = watch({ orderId: placed.id });
    await waitFor('the first upstream', async () => (await followersOf(placed.id)) === 1);
    const second = watch({ orderId: placed.id });
    const before = await paymentRequests();
    await running.admin.raw(confirmDelivery, { orderId: placed.id });
    await first.next(1);
    await second.next(1);
    expect(await followersOf(placed.id)).toBe(1);
    expect(second.received).toEqual(first.received);
    expect((await paymentRequests()) - before).toBe(1);

    await first.close();
    expect(await followersOf(placed.id)).toBe(1);
    await second.close();
    await waitFor('the upstream to be freed', async () => (await followersOf(placed.id)) === 0);
  });

  it('refuses a subscription sent over HTTP with 400 SUBSCRIPTION_OVER_HTTP, pointing at graphql-ws', async () => {
    const response = await fetch(running.system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: WATCH, variables: {} }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^subscriptions are served over graphql-ws/) as unknown,
          extensions: { code: 'SUBSCRIPTION_OVER_HTTP' },
        },
      ],
    });
  });

  it('replays from sinceVersion to a client that subscribes after an identical one has started', async () => {
    const placed = await placeOrder();
    await orderReaching(running.customer, placed.id, 'SHIPPED');

    const early = watch({ orderId: placed.id, sinceVersion: 0 });
    const replayed = (await early.next(4)).map((change) => change.orderStatusChanged.version);
    expect(replayed).toEqual([1, 2, 3, 4]);
    // Same caller, same variables, but later: it must still get every change since version 0.
    const late = watch({ orderId: placed.id, sinceVersion: 0 });
    const versions = (await late.next(4)).map((change) => change.orderStatusChanged.version);
    expect(versions).toEqual([1, 2, 3, 4]);

    await running.admin.raw(confirmDelivery, { orderId: placed.id });
    expect((await early.next(5)).at(-1)?.orderStatusChanged.version).toBe(5);
    expect((await late.next(5)).at(-1)?.orderStatusChanged.version).toBe(5);
  });

  it('ends subscriptions with a clear error when the owning subgraph restarts; a new one works', async () => {
    const placed = await placeOrder();
    await orderReaching(running.customer, placed.id, 'SHIPPED');
    const changes = watch({ orderId: placed.id });
    await waitFor('the subscription to start', async () => (await followersOf(placed.id)) === 1);

    const order = running.system.services.order!;
    await order.process.stop();
    await changes.ended();
    expect(changes.errors).toMatchObject([
      { extensions: { code: 'SUBSCRIPTION_UPSTREAM_CLOSED' } },
    ]);
    expect((changes.errors[0] as { message: string }).message).toMatch(
      /order subgraph ended this subscription.*subscribe again/,
    );

    await order.restart();
    const again = watch({ orderId: placed.id, sinceVersion: 3 });
    expect((await again.next(1))[0]!.orderStatusChanged.status).toBe('SHIPPED');
  });

  it('closes subscriptions with a reason when the gateway shuts down gracefully', async () => {
    const placed = await placeOrder();
    const changes = watch({ orderId: placed.id, sinceVersion: 0 });
    await changes.next(1);

    const gateway = running.system.services.gateway!;
    await gateway.process.stop();
    await changes.ended();
    expect(changes.errors).toMatchObject([{ code: 1001 }]);
    await gateway.restart();
  });

  describe('authentication and authorization over websocket', () => {
    it('refuses a connection without a valid token', async () => {
      for (const params of [{}, { authorization: 'Bearer not-a-token' }]) {
        const refused = subscribe(running.system.gatewayUrl, WATCH, {}, params);
        open.push(refused);
        await refused.ended();
        expect(refused.received).toEqual([]);
        expect(JSON.stringify(refused.errors)).toMatch(/4403|Forbidden/);
      }
    });

    it("answers another customer's order as NOT_FOUND, exactly like a missing one", async () => {
      const placed = await placeOrder();
      const others = watch({ orderId: placed.id }, bob);
      const missing = watch({ orderId: 'no-such-order' }, bob);
      await others.ended();
      await missing.ended();
      expect(others.errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
      expect((others.errors[0] as { message: string }).message).toBe(
        (missing.errors[0] as { message: string }).message.replace('no-such-order', placed.id),
      );
    });

    it('streams to a customer only their own orders, and to an admin every order', async () => {
      const bobs = watch({}, bob);
      const admins = watch({}, developmentToken('ops', { admin: true }));
      await waitFor('both upstreams', async () => (await followersOfEveryOrder()) === 2);
      const placed = await placeOrder();

      const [seenByAdmin] = await admins.next(1);
      expect(seenByAdmin!.orderStatusChanged.order.id).toBe(placed.id);
      await orderReaching(running.customer, placed.id, 'SHIPPED');
      expect(bobs.received).toEqual([]);
    });
  });

  it('leaves a log in which every invariant holds', () => {
    const { exitCode, output } = audit(running.system.natsAccess('auditor'));
    expect(output).toMatch(/no violations/);
    expect(exitCode).toBe(0);
  });
});
