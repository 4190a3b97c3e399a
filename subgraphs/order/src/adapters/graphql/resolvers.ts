import type { Resolvers } from '@orderflow/runtime';
import type { OrderStatus } from '../../domain/order';
import type { OrderContext } from './context';
import { toGraphQLOrder } from './order-mapper';
import { decodeCursor, toConnection } from './pagination';

interface OrdersArgs {
  readonly status?: OrderStatus | null;
  readonly customerId?: string | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** The schema's default, for a client that passes `first: null` explicitly. */
const DEFAULT_PAGE = 20;

export const resolvers: Resolvers<OrderContext> = {
  Query: {
    order: async (_: unknown, { id }: { id: string }, { orders }: OrderContext) => {
      const order = await orders.getOrder(id);
      return order && toGraphQLOrder(order);
    },
    orders: async (_: unknown, args: OrdersArgs, { orders }: OrderContext) =>
      toConnection(
        await orders.listOrders({
          status: args.status ?? undefined,
          customerId: args.customerId ?? undefined,
          first: args.first ?? DEFAULT_PAGE,
          after: args.after ? decodeCursor(args.after) : undefined,
        }),
      ),
  },
  Mutation: {
    placeOrder: async (
      _: unknown,
      { input }: { input: unknown },
      { orders, viewer, requestId }: OrderContext,
    ) => toGraphQLOrder(await orders.placeOrder(input, viewer, requestId, new Date())),
    cancelOrder: async (
      _: unknown,
      { id, reason }: { id: string; reason?: unknown },
      { orders, requestId }: OrderContext,
    ) => toGraphQLOrder(await orders.cancelOrder(id, reason, requestId, new Date())),
  },
  Order: {
    __resolveReference: async ({ id }: { id: string }, { orderById }: OrderContext) => {
      const order = await orderById.load(id);
      return order && toGraphQLOrder(order);
    },
    history: ({ id }: { id: string }, _: unknown, { orders }: OrderContext) => orders.history(id),
  },
  OrderLine: {
    // The gateway fetches the product's other fields from inventory.
    product: ({ sku }: { sku: string }) => ({ __typename: 'Product', sku }),
  },
};
