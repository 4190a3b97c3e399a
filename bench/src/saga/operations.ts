/** What the saga bench asks of the gateway. */

export const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id status createdAt }
}`;
export const ORDER_STATUS = `query ($id: ID!) { order(id: $id) { status } }`;
export const ORDERS_PAGE = `query ($first: Int!, $after: String) {
  orders(first: $first, after: $after) {
    edges { cursor node { id status customerId createdAt updatedAt total { amount currency } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const EVERY_ORDER = `subscription { orderStatusChanged { orderId status } }`;

export interface OrderPage {
  orders: {
    edges: { cursor: string; node: { id: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export interface Placed {
  readonly id: string;
  readonly createdAt: string;
}

/**
 * The order's cursor as the order service makes it (subgraphs/order/src/adapters/graphql/
 * pagination.ts): base64url of the JSON [createdAt, id]. Checked against a real endCursor first.
 */
export const cursorOf = ({ createdAt, id }: Placed) =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
