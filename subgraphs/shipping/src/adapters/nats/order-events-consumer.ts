import { aggregateFilter, streams } from '@orderflow/contracts';
import type { ConsumerSpec } from '@orderflow/runtime';
import type { OrderReactions } from '../../application/order-reactions';

/** The order's decisions that shipping acts on: a paid order ships, a cancelled one is recalled. */
export const orderEventsConsumer = (reactions: OrderReactions): ConsumerSpec => ({
  stream: streams.order.name,
  durable: 'shipping-saga',
  filterSubject: aggregateFilter('order', 'order'),
  handle: async (event) => {
    if (event.type === 'OrderPaymentCaptured') await reactions.onOrderPaymentCaptured(event);
    else if (event.type === 'OrderCancelled') await reactions.onOrderCancelled(event);
    // Every other order event is another service's step: acknowledged, nothing to do.
  },
});
