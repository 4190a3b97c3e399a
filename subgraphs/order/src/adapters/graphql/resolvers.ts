import type { DeadLetter, Resolvers } from '@orderflow/runtime';
import type { DeadLetterQuery } from '../../application/dead-letter-admin';
import type { WatchOrders } from '../../application/order-subscriptions';
import type { StatusChange } from '../../domain/history';
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
    order: async (_: unknown, { id }: { id: string }, { orders, viewer }: OrderContext) => {
      const order = await orders.getOrder(id, viewer);
      return order && toGraphQLOrder(order);
    },
    orders: async (_: unknown, args: OrdersArgs, { orders, viewer }: OrderContext) =>
      toConnection(
        await orders.listOrders(
          {
            status: args.status ?? undefined,
            customerId: args.customerId ?? undefined,
            first: args.first ?? DEFAULT_PAGE,
            after: args.after ? decodeCursor(args.after) : undefined,
          },
          viewer,
        ),
      ),
    deadLetters: (_: unknown, query: DeadLetterQuery, { orders, viewer }: OrderContext) =>
      orders.deadLetters.list(query, viewer),
    deadLetter: async (_: unknown, { seq }: { seq: string }, { orders, viewer }: OrderContext) =>
      (await orders.deadLetters.get(seq, viewer)) ?? null,
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
      { orders, viewer, requestId }: OrderContext,
    ) => toGraphQLOrder(await orders.cancelOrder(id, reason, viewer, requestId, new Date())),
    replayDeadLetter: async (
      _: unknown,
      { seq }: { seq: string },
      { orders, viewer }: OrderContext,
    ) => {
      const outcome = await orders.deadLetters.replay(seq, viewer);
      return { replayed: outcome.replayed, reason: outcome.replayed ? null : outcome.reason };
    },
    discardDeadLetter: (_: unknown, { seq }: { seq: string }, { orders, viewer }: OrderContext) =>
      orders.deadLetters.discard(seq, viewer),
  },
  DeadLetter: {
    sourceStream: ({ source }: DeadLetter) => source.stream,
    sourceSubject: ({ source }: DeadLetter) => source.subject,
    sourceSeq: ({ source }: DeadLetter) => source.seq,
    message: ({ data }: DeadLetter) => data,
  },
  Order: {
    __resolveReference: async ({ id }: { id: string }, { orderById }: OrderContext) => {
      const order = await orderById.load(id);
      return order && toGraphQLOrder(order);
    },
    history: ({ id }: { id: string }, _: unknown, { orders }: OrderContext) => orders.history(id),
  },
  Subscription: {
    orderStatusChanged: {
      subscribe: (_: unknown, args: WatchOrders, { orders, viewer }: OrderContext) =>
        orders.watch(args, viewer),
      resolve: (change: StatusChange) => change,
    },
  },
  OrderStatusChange: {
    order: async ({ orderId }: StatusChange, _: unknown, { orders, viewer }: OrderContext) => {
      const order = await orders.getOrder(orderId, viewer);
      return order && toGraphQLOrder(order);
    },
  },
  OrderLine: {
    // The gateway fetches the product's other fields from inventory.
    product: ({ sku }: { sku: string }) => ({ __typename: 'Product', sku }),
  },
};
