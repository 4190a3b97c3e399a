import { aggregateFilter, streams } from '@orderflow/contracts';
import type { ConsumerSpec } from '@orderflow/runtime';
import type { OrderReactions } from '../../application/order-reactions';

/** The order's decisions that payment acts on: charge once stock is held, compensate a cancel. */
export const orderEventsConsumer = (reactions: OrderReactions): ConsumerSpec => ({
  stream: streams.order.name,
  durable: 'payment-saga',
  filterSubject: aggregateFilter('order', 'order'),
  handle: async (event) => {
    if (event.type === 'OrderInventoryReserved') await reactions.onOrderInventoryReserved(event);
    else if (event.type === 'OrderCancelled') await reactions.onOrderCancelled(event);
    // The order's other events are not payment's business: acknowledged, nothing to do.
  },
});
