import { aggregateFilter } from '@orderflow/contracts';
import type { EventStore } from '@orderflow/runtime';
import type { FollowOrders, OrderFeed, OrderRepository } from '../../application/ports';
import type { OrderEvent } from '../../domain/order';
import type { Envelope } from '@orderflow/contracts';

/** Order events straight from the ORDER stream, for subscriptions. */
export const followOrders =
  (store: EventStore, orders: OrderRepository): FollowOrders =>
  async (orderId, from) => {
    const feed = await store.follow(
      orderId === undefined ? aggregateFilter('order', 'order') : orders.subject(orderId),
      from,
    );
    const events = async function* () {
      for await (const { envelope } of feed) yield envelope as Envelope<OrderEvent>;
    };
    const orderFeed: OrderFeed = { [Symbol.asyncIterator]: events, close: () => feed.close() };
    return orderFeed;
  };
