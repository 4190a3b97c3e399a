import { bearer, developmentToken, waitFor } from '@orderflow/stack';
import { GATEWAY_HEADER } from '@orderflow/runtime';
import { client, orderInput, orderReaching, stockReaching, type Client } from './support/orderflow';
import { startTestSystem, type TestSystem } from './support/system';

/** Who asks: nobody, someone with a bad token, two customers, an admin. */
const callers = ['anonymous', 'wrongSecret', 'expired', 'alice', 'bob', 'admin'] as const;
type Caller = (typeof callers)[number];

const tokens: Record<Caller, string | undefined> = {
  anonymous: undefined,
  // Both bad tokens claim admin: a forged or stale claim must unlock nothing.
  wrongSecret: developmentToken('alice', { admin: true, secret: 'not-the-secret-of-this-system' }),
  expired: developmentToken('alice', { admin: true, expiresIn: -60 }),
  alice: developmentToken('alice'),
  bob: developmentToken('bob'),
  admin: developmentToken('ops', { admin: true }),
};

/** `data`: the field answered; `null`: answered null, exactly as for a missing order. */
type Outcome = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'null' | 'data';
const [U, F, NF, NUL, OK] = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'null', 'data'] as const;

const IN_STOCK = 'AUTH-IN';
const SOLD_OUT = 'AUTH-OUT';

/** One operation of the API, and how to build its variables for a caller. */
interface Operation {
  readonly field: string;
  readonly query: string;
  readonly variables: (caller: Caller) => Promise<Record<string, unknown>>;
}

describe('authentication and authorization through the gateway (HTTP)', () => {
  let running: TestSystem;
  let shippedOrderOfAlice: string;
  /** The callers who can place orders. */
  const clients: Partial<Record<Caller, Client>> = {};

  /**
   * A fresh order of `owner`. One of a sold-out product is cancelled at once, so cancelling it
   * again is a success that does not depend on how far its saga got.
   */
  const orderOf = async (owner: Caller, sku = IN_STOCK) =>
    (await clients[owner]!.placeOrder(orderInput([{ sku, quantity: 1 }]))).id;
  /** Callers without a valid token own nothing: their "own" order is alice's. */
  const owner = (caller: Caller): Caller => (caller in clients ? caller : 'alice');
  const other = (caller: Caller): Caller => (caller === 'alice' ? 'bob' : 'alice');

  const operations: Record<string, Operation> = {
    product: {
      field: 'product',
      query: `query ($sku: ID!) { product(sku: $sku) { sku } }`,
      variables: async () => ({ sku: IN_STOCK }),
    },
    products: {
      field: 'products',
      query: `{ products(first: 5) { edges { node { sku } } } }`,
      variables: async () => ({}),
    },
    upsertProduct: {
      field: 'upsertProduct',
      query: `mutation ($input: ProductInput!) { upsertProduct(input: $input) { sku } }`,
      variables: async () => ({
        input: {
          sku: IN_STOCK,
          name: `Product ${IN_STOCK}`,
          price: { amount: 500, currency: 'USD' },
        },
      }),
    },
    restock: {
      field: 'restock',
      query: `mutation { restock(sku: "${IN_STOCK}", quantity: 1) { sku } }`,
      variables: async () => ({}),
    },
    placeOrder: {
      field: 'placeOrder',
      query: `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
      variables: async () => ({ input: orderInput([{ sku: IN_STOCK, quantity: 1 }]) }),
    },
    'order(own)': {
      field: 'order',
      query: `query ($id: ID!) { order(id: $id) { id payment { status } shipment { status } } }`,
      variables: async (caller) => ({ id: await orderOf(owner(caller)) }),
    },
    "order(other's)": {
      field: 'order',
      query: `query ($id: ID!) { order(id: $id) { id payment { status } shipment { status } } }`,
      variables: async (caller) => ({ id: await orderOf(other(caller)) }),
    },
    orders: {
      field: 'orders',
      query: `{ orders(first: 5) { edges { node { id } } } }`,
      variables: async () => ({}),
    },
    'orders(customerId: other)': {
      field: 'orders',
      query: `query ($customerId: ID) { orders(customerId: $customerId) { edges { node { id } } } }`,
      variables: async (caller) => ({ customerId: other(caller) }),
    },
    'cancelOrder(own)': {
      field: 'cancelOrder',
      query: `mutation ($id: ID!) { cancelOrder(id: $id) { status } }`,
      variables: async (caller) => ({ id: await orderOf(owner(caller), SOLD_OUT) }),
    },
    "cancelOrder(other's)": {
      field: 'cancelOrder',
      query: `mutation ($id: ID!) { cancelOrder(id: $id) { status } }`,
      variables: async (caller) => ({ id: await orderOf(other(caller), SOLD_OUT) }),
    },
    confirmDelivery: {
      field: 'confirmDelivery',
      query: `mutation ($orderId: ID!) { confirmDelivery(orderId: $orderId) { status } }`,
      variables: async () => ({ orderId: shippedOrderOfAlice }),
    },
  };

  // Rows: operations; columns: callers. "own" is the caller's own order, "other's" a customer's
  // (bob's for alice, alice's for everyone else).
  // prettier-ignore
  const matrix: readonly (readonly [operation: string, ...outcomes: Outcome[]])[] = [
    // operation                   anonymous  wrongSecret  expired  alice  bob  admin
    ['product',                    U,         U,           U,       OK,    OK,  OK],
    ['products',                   U,         U,           U,       OK,    OK,  OK],
    ['upsertProduct',              U,         U,           U,       F,     F,   OK],
    ['restock',                    U,         U,           U,       F,     F,   OK],
    ['placeOrder',                 U,         U,           U,       OK,    OK,  OK],
    ['order(own)',                 U,         U,           U,       OK,    OK,  OK],
    ["order(other's)",             U,         U,           U,       NUL,   NUL, OK],
    ['orders',                     U,         U,           U,       OK,    OK,  OK],
    ['orders(customerId: other)',  U,         U,           U,       F,     F,   OK],
    ['cancelOrder(own)',           U,         U,           U,       OK,    OK,  OK],
    ["cancelOrder(other's)",       U,         U,           U,       NF,    NF,  OK],
    ['confirmDelivery',            U,         U,           U,       F,     F,   OK],
  ];
  const cells = matrix.flatMap(([operation, ...outcomes]) =>
    callers.map((caller, column) => ({ operation, caller, expected: outcomes[column]! })),
  );

  /** The raw HTTP answer: the status matters as much as the body. */
  const send = async (
    url: string,
    token: string | undefined,
    query: string,
    variables: Record<string, unknown>,
  ) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    return { status: response.status, ...body };
  };

  beforeAll(async () => {
    running = await startTestSystem();
    for (const caller of ['alice', 'bob', 'admin'] as const) {
      clients[caller] = client(running.system.gatewayUrl, tokens[caller]!);
    }
    await running.admin.createProduct(IN_STOCK, 500, 1000);
    await running.admin.createProduct(SOLD_OUT, 500, 0);
    await stockReaching(clients.alice!, IN_STOCK, { available: 1000, reserved: 0 });
    shippedOrderOfAlice = await orderOf('alice');
    // Deliveries wait for confirmDelivery in tests, so the order rests at SHIPPED.
    await orderReaching(clients.alice!, shippedOrderOfAlice, 'SHIPPED');
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it.each(cells)('$operation by $caller: $expected', async ({ operation, caller, expected }) => {
    const { field, query, variables } = operations[operation]!;

    const answer = await send(
      running.system.gatewayUrl,
      tokens[caller],
      query,
      await variables(caller),
    );

    if (expected === 'UNAUTHENTICATED') {
      expect(answer.status).toBe(401);
      expect(answer.data).toBeUndefined();
    } else {
      expect(answer.status).toBe(200);
    }
    if (expected === 'data' || expected === 'null') {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.[field] ?? null).toEqual(expected === 'null' ? null : expect.anything());
    } else {
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual([expected]);
    }
  });

  it('has every subgraph answer only the gateway: a valid token sent to one directly is refused', async () => {
    for (const name of ['inventory', 'order', 'payment', 'shipping']) {
      const response = await fetch(running.system.services[name]!.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${developmentToken('alice')}`,
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'this subgraph answers only the gateway; send your request to the gateway',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
    }
  });

  it('tells a caller without a token what to send', async () => {
    const { errors } = await send(
      running.system.gatewayUrl,
      undefined,
      '{ products { edges { cursor } } }',
      {},
    );
    expect(errors?.[0]?.message).toMatch(
      /missing Authorization header; send "Authorization: Bearer <token>" and mint one with `npm run token/,
    );
  });

  it("answers another's order as a missing one, so that its existence does not leak", async () => {
    const ask = (operation: string, variables: Record<string, unknown>) =>
      send(running.system.gatewayUrl, tokens.bob, operations[operation]!.query, variables);

    expect(await ask("order(other's)", { id: shippedOrderOfAlice })).toEqual(
      await ask("order(other's)", { id: 'never-placed' }),
    );
    const [others, missing] = [
      await ask("cancelOrder(other's)", { id: shippedOrderOfAlice }),
      await ask("cancelOrder(other's)", { id: 'never-placed' }),
    ];
    expect(others.errors?.[0]?.message).toBe(`there is no order ${shippedOrderOfAlice}`);
    expect(missing.errors?.[0]?.message).toBe('there is no order never-placed');
  });

  it("places orders for the token's customer and lists each customer only theirs", async () => {
    const bobs = await orderOf('bob');
    const listed = async (token: string | undefined) => {
      const { data } = await send(
        running.system.gatewayUrl,
        token,
        `{ orders(first: 100) { edges { node { id customerId } } } }`,
        {},
      );
      const { edges } = data!.orders as { edges: { node: { id: string; customerId: string } }[] };
      return edges.map(({ node }) => node);
    };
    const customersIn = async (token: string | undefined) =>
      [...new Set((await listed(token)).map((order) => order.customerId))].sort();
    await waitFor('the read model to list the orders of both customers', async () => {
      const ids = (await listed(tokens.admin)).map((order) => order.id);
      return ids.includes(bobs) && ids.includes(shippedOrderOfAlice);
    });

    expect(await customersIn(tokens.alice)).toEqual(['alice']);
    expect(await customersIn(tokens.bob)).toEqual(['bob']);
    expect(await customersIn(tokens.admin)).toEqual(expect.arrayContaining(['alice', 'bob']));
  });

  it.each(['inventory', 'order', 'payment', 'shipping'])(
    'has the %s subgraph refuse a request without a token, even one that shows the gateway’s credential',
    async (name) => {
      const response = await fetch(running.system.services[name]!.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [GATEWAY_HEADER]: running.system.callerSecret,
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const { errors } = (await response.json()) as {
        errors?: { extensions?: { code?: string } }[];
      };
      expect(response.status).toBe(401);
      expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    },
  );
});
