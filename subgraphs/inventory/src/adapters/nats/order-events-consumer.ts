import { aggregateFilter, streams } from '@orderflow/contracts';
import type { ConsumerSpec } from '@orderflow/runtime';
import {
  releaseForOrder,
  shipForOrder,
  type OrderPlacements,
} from '../../application/order-outcomes';
import type { Repositories } from '../../application/repositories';
import { reserveForOrder } from '../../application/reserve-for-order';

/** Inventory's part of the saga: reserve for new orders, release for cancelled, ship for completed. */
export const orderEventsConsumer = (
  repositories: Repositories,
  placements: OrderPlacements,
): ConsumerSpec => ({
  stream: streams.order.name,
  durable: 'inventory-saga',
  filterSubject: aggregateFilter('order', 'order'),
  handle: async (event) => {
    switch (event.type) {
      case 'OrderCreated':
        return reserveForOrder(repositories, event);
      case 'OrderCancelled':
        return releaseForOrder(repositories, placements, event);
      case 'OrderCompleted':
        return shipForOrder(repositories, placements, event);
      default:
        return undefined;
    }
  },
});
