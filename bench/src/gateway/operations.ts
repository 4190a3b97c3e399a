import { graphql, graphqlData } from '@orderflow/stack';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { orderInput, type BenchSystem } from '../bench-system';
import { wasInterrupted } from '../lifecycle';
import type { Contender } from './contenders';

const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER_STATUS = `query ($id: ID!) { order(id: $id) { status } }`;

export interface Operation {
  readonly key: string;
  readonly label: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly connections: number;
  /** Whether the subgraph asked directly can answer it alone (the floor under every gateway). */
  readonly direct: boolean;
}

export const operations = (orderId: string, connections: number | undefined): Operation[] => [
  {
    key: 'products',
    label: 'products page',
    query: `query ProductsPage { products(first: 20) {
      edges { cursor node { sku name price { amount currency } available reserved } }
      pageInfo { hasNextPage endCursor } } }`,
    variables: {},
    connections: connections ?? 50,
    direct: true,
  },
  {
    key: 'order',
    label: 'one order',
    query: `query OneOrder($id: ID!) { order(id: $id) {
      id status total { amount currency }
      lines { sku quantity unitPrice { amount currency } product { name price { amount currency } } }
      payment { status amount { amount currency } method }
      shipment { status carrier trackingNumber } } }`,
    variables: { id: orderId },
    connections: connections ?? 10,
    direct: false,
  },
  {
    key: 'orders',
    label: 'orders(first: 50)',
    query: `query OrdersPage { orders(first: 50) {
      edges { node { id lines { quantity product { name } } } } } }`,
    variables: {},
    connections: connections ?? 10,
    direct: false,
  },
];

/** Places `orders` orders for customer 0, a few at a time, and waits until every one is COMPLETED. */
export const placeCompletedOrders = async (bench: BenchSystem, orders: number, skus: string[]) => {
  const headers = bench.customerHeaders(0);
  const ids: string[] = [];
  for (let next = 0; next < orders && !wasInterrupted();) {
    const batch = Array.from({ length: Math.min(8, orders - next) }, (_, i) => next + i);
    next += batch.length;
    const placed = await Promise.all(
      batch.map((number) =>
        graphqlData<{ placeOrder: { id: string } }>(
          bench.gatewayUrl,
          PLACE_ORDER,
          { input: orderInput(number, skus) },
          headers,
        ),
      ),
    );
    ids.push(...placed.map(({ placeOrder }) => placeOrder.id));
  }
  const waiting = new Set(ids);
  const deadline = Date.now() + 120_000;
  while (waiting.size > 0 && !wasInterrupted()) {
    if (Date.now() > deadline) throw new Error(`${waiting.size} orders not COMPLETED after 120 s`);
    for (const id of [...waiting]) {
      const { order } = await graphqlData<{ order: { status: string } | null }>(
        bench.gatewayUrl,
        ORDER_STATUS,
        { id },
        headers,
      );
      if (order?.status === 'COMPLETED') waiting.delete(id);
      else if (order?.status === 'CANCELLED') throw new Error(`order ${id} was CANCELLED`);
    }
    if (waiting.size > 0) await sleep(200);
  }
  return ids;
};

/** Every contender must answer each operation with the data ours gives, or the figures compare nothing. */
export const checkSameData = async (
  operation: Operation,
  contenders: readonly Contender[],
  headers: Record<string, string>,
) => {
  let expected: unknown;
  for (const contender of contenders) {
    const { data, errors } = await graphql(contender.url, operation.query, operation.variables, {
      ...headers,
      ...contender.headers,
    });
    if (errors !== undefined || data === undefined || data === null) {
      throw new Error(
        `${contender.label} failed ${operation.label}: ${JSON.stringify(errors ?? data)}`,
      );
    }
    if (expected === undefined) expected = data;
    else if (!isDeepStrictEqual(data, expected)) {
      throw new Error(
        `${contender.label} answered ${operation.label} with other data than ${contenders[0]!.label}:\n` +
          `${JSON.stringify(data).slice(0, 2_000)}\nexpected\n${JSON.stringify(expected).slice(0, 2_000)}`,
      );
    }
  }
};
