import { connectNats } from '@orderflow/runtime';
import { bearer, graphql, graphqlData, waitFor, type NatsAccess } from '@orderflow/stack';

/** GraphQL operations the end-to-end tests speak, as a client of the gateway would. */
export const operations = {
  upsertProduct: `mutation ($input: ProductInput!) { upsertProduct(input: $input) { sku } }`,
  restock: `mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { sku available } }`,
  product: `query ($sku: ID!) { product(sku: $sku) { sku name available reserved } }`,
  placeOrder: `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`,
  order: `query ($id: ID!) {
    order(id: $id) {
      id status failureReason failureDetail total { amount currency }
      lines { sku quantity unitPrice { amount } product { sku name available } }
    }
  }`,
  /** The order with what every other subgraph knows of it, joined by the gateway. */
  orderAcrossServices: `query ($id: ID!) {
    order(id: $id) {
      id status failureReason
      payment { status amount { amount currency } refundId }
      shipment { status trackingNumber }
      history { status previousStatus cause { type } reason }
    }
  }`,
  cancelOrder: `mutation ($id: ID!, $reason: String) {
    cancelOrder(id: $id, reason: $reason) { id status failureReason }
  }`,
  confirmDelivery: `mutation ($orderId: ID!) { confirmDelivery(orderId: $orderId) { status } }`,
} as const;

export interface ProductView {
  sku: string;
  name: string;
  available: number;
  reserved: number;
}

export interface SagaView {
  id: string;
  status: string;
  failureReason: string | null;
  payment: {
    status: string;
    amount: { amount: number; currency: string };
    refundId: string | null;
  } | null;
  shipment: { status: string; trackingNumber: string | null } | null;
  history: {
    status: string;
    previousStatus: string | null;
    cause: { type: string };
    reason: string | null;
  }[];
}

export interface OrderView {
  id: string;
  status: string;
  failureReason: string | null;
  failureDetail: string | null;
  total: { amount: number; currency: string };
  lines: {
    sku: string;
    quantity: number;
    unitPrice: { amount: number };
    product: { sku: string; name: string; available: number };
  }[];
}

export const address = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

export const orderInput = (
  lines: { sku: string; quantity: number }[],
  {
    idempotencyKey,
    paymentMethod = 'pm_card_visa',
    postalCode = address.postalCode,
  }: { idempotencyKey?: string; paymentMethod?: string; postalCode?: string } = {},
) => ({
  lines,
  paymentMethod,
  shippingAddress: { ...address, postalCode },
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

/** A client of one gateway, speaking for whom the token names (see developmentToken). */
export const client = (gatewayUrl: string, token: string) => {
  const headers = bearer(token);
  const data = <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlData<T>(gatewayUrl, query, variables, headers);
  return {
    raw: (query: string, variables: Record<string, unknown> = {}) =>
      graphql(gatewayUrl, query, variables, headers),
    createProduct: async (sku: string, price: number, stock: number) => {
      const input = { sku, name: `Product ${sku}`, price: { amount: price, currency: 'USD' } };
      await data(operations.upsertProduct, { input });
      if (stock > 0) await data(operations.restock, { sku, quantity: stock });
    },
    product: async (sku: string) =>
      (await data<{ product: ProductView | null }>(operations.product, { sku })).product,
    placeOrder: async (input: ReturnType<typeof orderInput>) =>
      (await data<{ placeOrder: { id: string; status: string } }>(operations.placeOrder, { input }))
        .placeOrder,
    order: async (id: string) =>
      (await data<{ order: OrderView | null }>(operations.order, { id })).order,
    orderAcrossServices: async (id: string) =>
      (await data<{ order: SagaView | null }>(operations.orderAcrossServices, { id })).order,
    cancelOrder: (id: string, reason?: string) =>
      data<{ cancelOrder: { id: string; status: string } }>(operations.cancelOrder, { id, reason }),
    /** Admin: a dispatched parcel arrived. */
    confirmDelivery: (orderId: string) =>
      data<{ confirmDelivery: { status: string } }>(operations.confirmDelivery, { orderId }),
  };
};

export type Client = ReturnType<typeof client>;

/** Waits until the order reaches `status` and returns it. */
export const orderReaching = async (api: Client, id: string, status: string) => {
  let last: OrderView | null = null;
  await waitFor(`order ${id} to reach ${status}`, async () => {
    last = await api.order(id);
    return last?.status === status;
  });
  return last as unknown as OrderView;
};

/** Waits until the order, seen across every subgraph, satisfies `check`, and returns it. */
export const sagaReaching = async (
  api: Client,
  id: string,
  description: string,
  check: (order: SagaView) => boolean,
) => {
  let last: SagaView | null = null;
  await waitFor(`order ${id}: ${description}`, async () => {
    last = await api.orderAcrossServices(id);
    return last !== null && check(last);
  });
  return last as unknown as SagaView;
};

/** Waits until the product's stock reads `expected` through the gateway. */
export const stockReaching = async (
  api: Client,
  sku: string,
  expected: { available: number; reserved: number },
) => {
  let last: ProductView | null = null;
  await waitFor(
    `${sku} to show ${JSON.stringify(expected)} (last: ${JSON.stringify(last)})`,
    async () => {
      last = await api.product(sku);
      return last?.available === expected.available && last.reserved === expected.reserved;
    },
  );
};

/** How many messages a stream holds: "no event was written" is checked against the log itself. */
export const streamMessages = async (bus: NatsAccess, stream: string) => {
  const { connection, jsm } = await connectNats(bus, 'stream-messages');
  try {
    return (await jsm.streams.info(stream)).state.messages;
  } finally {
    await connection.close();
  }
};
