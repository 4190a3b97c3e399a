import { orderInput } from '../../support/orderflow';
import { IN_STOCK, SOLD_OUT, type CustomerOrders } from '../fixtures';
import { at, both, field, list, type Ask, type Row } from './row';

const PAYMENT = 'payment { id status amount { amount currency } method failureReason refundId }';
const SHIPMENT =
  'shipment { status carrier trackingNumber failureReason dispatchedAt deliveredAt }';
const SEQ = { seq: '999999' };
const entities = (
  typename: string,
  fields: string,
  representations: (orders: CustomerOrders) => Record<string, unknown>[],
  pick: (entity: unknown) => unknown = (entity) => entity,
): Ask => ({
  query: `query ($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on ${typename} { ${fields} } }
  }`,
  variables: (orders) => ({
    representations: representations(orders).map((key) => ({ __typename: typename, ...key })),
  }),
  pick: (data) => list(at(data, '_entities')).map(pick),
});

const ORDER_OF_GATEWAY: Ask = {
  query: `query ($id: ID!) { order(id: $id) { id customerId ${PAYMENT} ${SHIPMENT} } }`,
  variables: ({ shipped }) => ({ id: shipped }),
  pick: field('order'),
};
const ORDER_OF_SUBGRAPH: Ask = {
  query: `query ($id: ID!) { order(id: $id) { id customerId status history { status } } }`,
  variables: ({ shipped }) => ({ id: shipped }),
  pick: field('order'),
};
const CANCEL: Ask = {
  query: `mutation ($id: ID!) { cancelOrder(id: $id) { id status } }`,
  variables: ({ cancelled }) => ({ id: cancelled }),
  pick: field('cancelOrder'),
};
/** Each change's order, through the gateway with what payment knows of it. */
const watch = (order: string, variables: Ask['variables'], pick: Ask['pick']) => ({
  query: `subscription ($orderId: ID, $sinceVersion: Int) {
    orderStatusChanged(orderId: $orderId, sinceVersion: $sinceVersion) {
      orderId status order { ${order} }
    }
  }`,
  variables,
  pick,
});
const WATCH_ONE = (order: string) =>
  watch(
    order,
    ({ shipped }) => ({ orderId: shipped, sinceVersion: 0 }),
    field('orderStatusChanged'),
  );
const WATCH_ALL = (order: string) =>
  watch(
    order,
    () => ({}),
    (data) => [at(data, 'orderStatusChanged', 'order', 'customerId')],
  );
const ORDER_ENTITY = entities(
  'Order',
  'id customerId status total { amount } paymentMethod shippingAddress { line1 } history { status }',
  ({ shipped, declined }) => [{ id: shipped }, { id: declined }],
);
const PAYMENTS: Row = {
  covers: '_entities(Order)@payment',
  whose: 'own',
  gateway: {
    query: `query ($a: ID!, $b: ID!) { a: order(id: $a) { ${PAYMENT} } b: order(id: $b) { ${PAYMENT} } }`,
    variables: ({ shipped, declined }) => ({ a: shipped, b: declined }),
    pick: (data) => [at(data, 'a', 'payment'), at(data, 'b', 'payment')],
  },
  subgraph: entities(
    'Order',
    `id ${PAYMENT}`,
    ({ shipped, declined }) => [{ id: shipped }, { id: declined }],
    (entity) => at(entity, 'payment'),
  ),
};
const SHIPMENTS: Row = {
  covers: '_entities(Order)@shipping',
  whose: 'own',
  gateway: {
    query: `query ($id: ID!) { order(id: $id) { ${SHIPMENT} } }`,
    variables: ({ shipped }) => ({ id: shipped }),
    pick: (data) => [at(data, 'order', 'shipment')],
  },
  subgraph: entities(
    'Order',
    `id ${SHIPMENT}`,
    ({ shipped }) => [{ id: shipped }],
    (entity) => at(entity, 'shipment'),
  ),
};

/** The rows of the order flow's operations, by the name the matrix gives each. */
export const orderRows: Readonly<Record<string, Row>> = {
  product: {
    covers: 'Query.product',
    whose: 'own',
    ...both({
      query: `query ($sku: ID!) { product(sku: $sku) { sku name available } }`,
      variables: () => ({ sku: IN_STOCK }),
      pick: field('product'),
    }),
  },
  products: {
    covers: 'Query.products',
    whose: 'own',
    ...both({
      query: `{ products(first: 5) { edges { node { sku } } } }`,
      variables: () => ({}),
      pick: field('products'),
    }),
  },
  'order(own)': {
    covers: 'Query.order',
    whose: 'own',
    gateway: ORDER_OF_GATEWAY,
    subgraph: ORDER_OF_SUBGRAPH,
  },
  "order(other's)": {
    covers: 'Query.order',
    whose: 'other',
    gateway: ORDER_OF_GATEWAY,
    subgraph: ORDER_OF_SUBGRAPH,
  },
  orders: {
    covers: 'Query.orders',
    whose: 'own',
    ...both({
      query: `{ orders(first: 100) { edges { node { id customerId } } } }`,
      variables: () => ({}),
      pick: (data) =>
        list(at(data, 'orders', 'edges')).map((edge) => at(edge, 'node', 'customerId')),
    }),
  },
  'orders(customerId: other)': {
    covers: 'Query.orders',
    whose: 'other',
    ...both({
      query: `query ($customerId: ID) { orders(customerId: $customerId) { edges { node { id } } } }`,
      variables: ({ customerId }) => ({ customerId }),
      pick: field('orders'),
    }),
  },
  deadLetters: {
    covers: 'Query.deadLetters',
    whose: 'own',
    ...both({
      query: `{ deadLetters { seq } }`,
      variables: () => ({}),
      pick: field('deadLetters'),
    }),
  },
  deadLetter: {
    covers: 'Query.deadLetter',
    whose: 'own',
    ...both({
      query: `query ($seq: ID!) { deadLetter(seq: $seq) { seq message } }`,
      variables: () => SEQ,
      pick: field('deadLetter'),
    }),
  },
  upsertProduct: {
    covers: 'Mutation.upsertProduct',
    whose: 'own',
    ...both({
      query: `mutation ($input: ProductInput!) { upsertProduct(input: $input) { sku } }`,
      variables: () => ({
        input: {
          sku: IN_STOCK,
          name: `Product ${IN_STOCK}`,
          price: { amount: 500, currency: 'USD' },
        },
      }),
      pick: field('upsertProduct'),
    }),
  },
  restock: {
    covers: 'Mutation.restock',
    whose: 'own',
    ...both({
      query: `mutation ($sku: ID!) { restock(sku: $sku, quantity: 1) { sku } }`,
      variables: () => ({ sku: IN_STOCK }),
      pick: field('restock'),
    }),
  },
  placeOrder: {
    covers: 'Mutation.placeOrder',
    whose: 'own',
    ...both({
      query: `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id customerId } }`,
      variables: () => ({ input: orderInput([{ sku: SOLD_OUT, quantity: 1 }]) }),
      pick: (data) => [at(data, 'placeOrder', 'customerId')],
    }),
  },
  'cancelOrder(own)': { covers: 'Mutation.cancelOrder', whose: 'own', ...both(CANCEL) },
  "cancelOrder(other's)": { covers: 'Mutation.cancelOrder', whose: 'other', ...both(CANCEL) },
  replayDeadLetter: {
    covers: 'Mutation.replayDeadLetter',
    whose: 'own',
    ...both({
      query: `mutation ($seq: ID!) { replayDeadLetter(seq: $seq) { replayed reason } }`,
      variables: () => SEQ,
      pick: field('replayDeadLetter'),
    }),
  },
  discardDeadLetter: {
    covers: 'Mutation.discardDeadLetter',
    whose: 'own',
    ...both({
      query: `mutation ($seq: ID!) { discardDeadLetter(seq: $seq) }`,
      variables: () => SEQ,
      pick: field('discardDeadLetter'),
    }),
  },
  confirmDelivery: {
    covers: 'Mutation.confirmDelivery',
    whose: 'own',
    ...both({
      query: `mutation ($orderId: ID!) { confirmDelivery(orderId: $orderId) { status } }`,
      variables: ({ shipped }) => ({ orderId: shipped }),
      pick: field('confirmDelivery'),
    }),
  },
  'orderStatusChanged(own)': {
    covers: 'Subscription.orderStatusChanged',
    whose: 'own',
    gateway: WATCH_ONE(`customerId payment { status }`),
    subgraph: WATCH_ONE('customerId'),
  },
  "orderStatusChanged(other's)": {
    covers: 'Subscription.orderStatusChanged',
    whose: 'other',
    gateway: WATCH_ONE(`customerId payment { status }`),
    subgraph: WATCH_ONE('customerId'),
  },
  'orderStatusChanged(all)': {
    covers: 'Subscription.orderStatusChanged',
    whose: 'own',
    fed: 'orders',
    gateway: WATCH_ALL(`customerId payment { status }`),
    subgraph: WATCH_ALL('customerId'),
  },
  '_entities(Product)@inventory': {
    covers: '_entities(Product)@inventory',
    whose: 'own',
    gateway: {
      query: `query ($id: ID!) { order(id: $id) { lines { product { sku name price { amount } available } } } }`,
      variables: ({ shipped }) => ({ id: shipped }),
      pick: (data) => list(at(data, 'order', 'lines')).map((line) => at(line, 'product')),
    },
    subgraph: entities('Product', 'sku name price { amount } available reserved', () => [
      { sku: IN_STOCK },
    ]),
  },
  // No operation makes the gateway fetch an Order from order by key: order serves the root
  // fields that return one, and the gateway refuses `_entities` from a client.
  '_entities(Order)@order(own)': {
    covers: '_entities(Order)@order',
    whose: 'own',
    gateway: null,
    subgraph: ORDER_ENTITY,
  },
  "_entities(Order)@order(other's)": {
    covers: '_entities(Order)@order',
    whose: 'other',
    gateway: null,
    subgraph: ORDER_ENTITY,
  },
  '_entities(Order)@payment(own)': PAYMENTS,
  "_entities(Order)@payment(other's)": { ...PAYMENTS, whose: 'other' },
  '_entities(Order)@shipping(own)': SHIPMENTS,
  "_entities(Order)@shipping(other's)": { ...SHIPMENTS, whose: 'other' },
};
