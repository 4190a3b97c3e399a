import { streams, subjectOf } from '@orderflow/contracts';
import { SqliteDocumentStore, type FindQuery, type Where } from '@orderflow/runtime';
import { bearer, developmentToken, graphql, waitFor } from '@orderflow/stack';
import { foreignEvent, orderInput, startOrderHarness, type OrderHarness } from './support';

const ORDER_FIELDS = `
  id customerId status paymentMethod failureReason failureDetail createdAt updatedAt
  lines { sku quantity unitPrice { amount currency } product { sku } }
  total { amount currency }
  shippingAddress { name line1 city postalCode country }`;

const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const ORDERS = `query ($status: OrderStatus, $customerId: ID, $first: Int, $after: String) {
  orders(status: $status, customerId: $customerId, first: $first, after: $after) {
    edges { cursor node { id status createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface OrderView {
  id: string;
  customerId: string;
  status: string;
  failureReason: string | null;
  failureDetail: string | null;
  lines: { sku: string; quantity: number; unitPrice: { amount: number; currency: string } }[];
  total: { amount: number; currency: string };
}

interface OrdersView {
  orders: {
    edges: { cursor: string; node: { id: string; status: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('the order subgraph on real servers', () => {
  let harness: OrderHarness;

  const alice = bearer(developmentToken('alice'));

  const request = <T>(query: string, variables: Record<string, unknown>, headers = alice) =>
    graphql<T>(harness.service.url, query, variables, headers);

  const place = async (input: Record<string, unknown>, headers = alice) => {
    const result = await request<{ placeOrder: OrderView }>(PLACE, { input }, headers);
    if (!result.data) throw new Error(`placeOrder failed: ${JSON.stringify(result.errors)}`);
    return result.data.placeOrder;
  };

  const order = async (id: string) =>
    (await request<{ order: OrderView | null }>(ORDER, { id })).data?.order;

  const listed = async (variables: Record<string, unknown>, headers = alice) => {
    const result = await request<OrdersView>(ORDERS, variables, headers);
    if (!result.data) throw new Error(`orders failed: ${JSON.stringify(result.errors)}`);
    return result.data.orders;
  };

  const orderEventCount = async () =>
    (await harness.nats.jsm.streams.info(streams.order.name)).state.messages;

  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness?.stop());

  it('serves every listing shape and the deadline poller from an index, without sorting', () => {
    const documents = harness.service.infrastructure.documents;
    expect(documents).toBeInstanceOf(SqliteDocumentStore);
    const plan = (query: FindQuery) => (documents as SqliteDocumentStore).explain('orders', query);
    const newestFirst = { orderBy: { createdAt: 'desc', _id: 'desc' }, limit: 20 } as const;
    const after = { after: { createdAt: '2026-01-01T00:00:00.000Z', _id: 'x' } };
    for (const where of [{}, { status: 'CREATED' }, { customerId: 'alice' }] as Where[]) {
      const first = plan({ where, ...newestFirst });
      expect(first).toMatch(/USING INDEX orders__/);
      expect(first).not.toMatch(/TEMP B-TREE/);
      // A deeper page seeks to its cursor in the index rather than reading past every newer order.
      const deeper = plan({ where, ...newestFirst, ...after });
      expect(deeper).toMatch(/USING INDEX orders__.*<expr><\?\)/);
      expect(deeper).not.toMatch(/TEMP B-TREE/);
    }
    const overdue = plan({
      where: { status: 'CREATED', updatedAt: { lt: '2026-01-01T00:00:00.000Z' } },
      orderBy: { updatedAt: 'asc' },
      limit: 100,
    });
    expect(overdue).toMatch(/USING INDEX orders__status_asc__updatedAt_asc/);
    expect(overdue).not.toMatch(/TEMP B-TREE/);
  });

  it('places an order at the catalog prices, for the viewer', async () => {
    const placed = await place(orderInput());

    expect(placed).toMatchObject({
      customerId: 'alice',
      status: 'CREATED',
      lines: [
        { sku: 'KB-001', quantity: 2, unitPrice: { amount: 8900, currency: 'USD' } },
        { sku: 'MS-002', quantity: 1, unitPrice: { amount: 2900, currency: 'USD' } },
      ],
      total: { amount: 20700, currency: 'USD' },
      failureReason: null,
    });
    expect(await order(placed.id)).toEqual(placed);
  });

  it('returns the same order for a retry with the same idempotency key, and stores it once', async () => {
    const input = orderInput({ idempotencyKey: 'checkout-42' });

    const first = await place(input);
    const retry = await place(input);

    expect(retry.id).toBe(first.id);
    const events = await harness.service.infrastructure
      .store(streams.order)
      .read(subjectOf('OrderCreated', first.id));
    expect(events.map((e) => e.envelope.type)).toEqual(['OrderCreated']);

    const conflict = await request(PLACE, {
      input: { ...input, lines: [{ sku: 'KB-001', quantity: 5 }] },
    });
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it.each([
    ['an unknown SKU', [{ sku: 'NOPE-404', quantity: 1 }], 'NOPE-404'],
    ['quantity 0', [{ sku: 'KB-001', quantity: 0 }], 'quantity'],
    ['quantity 1001', [{ sku: 'KB-001', quantity: 1001 }], 'quantity'],
    [
      '51 lines',
      Array.from({ length: 51 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 })),
      '1 to 50 lines',
    ],
  ])('rejects %s as BAD_USER_INPUT and stores nothing', async (_what, lines, hint) => {
    const before = await orderEventCount();

    const result = await request(PLACE, { input: orderInput({ lines }) });

    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain(hint);
    expect(await orderEventCount()).toBe(before);
  });

  it('refuses a payment method of 900 kB, which no event could carry, and stores nothing', async () => {
    const before = await orderEventCount();

    const result = await request(PLACE, {
      input: orderInput({ paymentMethod: 'x'.repeat(900_000) }),
    });

    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toContain('paymentMethod must be at most 64 characters');
    expect(await orderEventCount()).toBe(before);
  });

  it("follows inventory's answers: reserved, or cancelled as out of stock", async () => {
    const toReserve = await place(orderInput());
    const toFail = await place(orderInput());

    const reserved = foreignEvent('InventoryReserved', toReserve.id, {
      orderId: toReserve.id,
      lines: [{ sku: 'KB-001', quantity: 2 }],
    });
    const failed = foreignEvent('InventoryFailed', toFail.id, {
      orderId: toFail.id,
      reason: 'OUT_OF_STOCK',
      sku: 'KB-001',
      requested: 2,
      available: 0,
    });
    await harness.publish(reserved);
    await harness.publish(failed);

    await waitFor('the reserved order', async () => {
      return (await order(toReserve.id))?.status === 'INVENTORY_RESERVED';
    });
    await waitFor('the cancelled order', async () => {
      return (await order(toFail.id))?.status === 'CANCELLED';
    });
    expect(await order(toFail.id)).toMatchObject({
      failureReason: 'OUT_OF_STOCK',
      failureDetail: 'KB-001: requested 2, available 0',
    });
    await waitFor('both in the lists by status', async () => {
      const [reservedIds, cancelledIds] = await Promise.all(
        ['INVENTORY_RESERVED', 'CANCELLED'].map(async (status) =>
          (await listed({ status, first: 100 })).edges.map((edge) => edge.node.id),
        ),
      );
      return reservedIds!.includes(toReserve.id) && cancelledIds!.includes(toFail.id);
    });
  });

  it('resolves many order references in one request', async () => {
    const placed = [await place(orderInput()), await place(orderInput())];
    const ids = placed.map((o) => o.id);
    await waitFor('the orders in the read model', async () => {
      const listedIds = (await listed({ first: 100 })).edges.map((edge) => edge.node.id);
      return ids.every((id) => listedIds.includes(id));
    });

    const result = await request<{ _entities: ({ id: string; status: string } | null)[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Order { id status } }
      }`,
      {
        representations: [...ids, 'never-placed'].map((id) => ({ __typename: 'Order', id })),
      },
    );

    expect(result.data?._entities).toEqual([
      { id: ids[0], status: 'CREATED' },
      { id: ids[1], status: 'CREATED' },
      null,
    ]);
  });

  it('pages through orders newest first, each exactly once', async () => {
    const pager = bearer(developmentToken('pager'));
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) placed.push((await place(orderInput(), pager)).id);
    await waitFor('the five orders in the read model', async () => {
      return (await listed({ first: 100 }, pager)).edges.length === 5;
    });

    const seen: OrdersView['orders']['edges'][number]['node'][] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: OrdersView['orders'] = await listed({ first: 2, after }, pager);
      seen.push(...page.edges.map((edge) => edge.node));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }

    expect(pages).toBe(3);
    expect(seen.map((node) => node.id).sort()).toEqual([...placed].sort());
    const times = seen.map((node) => node.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it.each([
    ['first: 0', { first: 0 }],
    ['first: 101', { first: 101 }],
    ['a cursor it did not issue', { after: 'not-a-cursor' }],
  ])('rejects %s as BAD_USER_INPUT', async (_what, variables) => {
    const result = await request(ORDERS, variables);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers null for an order that was never placed', async () => {
    expect(await order('never-placed')).toBeNull();
    expect(await order('order.events.>')).toBeNull();
  });

  it.each([
    ['no token', {}],
    ['an expired token', bearer(developmentToken('alice', { expiresIn: -60 }))],
  ])('refuses a request with %s: 401 UNAUTHENTICATED, nothing written', async (_case, headers) => {
    const before = await orderEventCount();

    const response = await fetch(harness.service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: PLACE, variables: { input: orderInput() } }),
    });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(await orderEventCount()).toBe(before);
  });
});
