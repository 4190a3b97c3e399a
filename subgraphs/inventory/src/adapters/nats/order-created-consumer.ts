import { aggregateFilter, streams } from '@orderflow/contracts';
import type { ConsumerSpec } from '@orderflow/runtime';
import type { Repositories } from '../../application/repositories';
import { reserveForOrder } from '../../application/reserve-for-order';

/** Inventory's part of the saga: every new order gets its stock reserved, or a refusal. */
export const orderCreatedConsumer = (repositories: Repositories): ConsumerSpec => ({
  stream: streams.order.name,
  durable: 'inventory-saga',
  filterSubject: aggregateFilter('order', 'order'),
  handle: async (event) => {
    if (event.type === 'OrderCreated') await reserveForOrder(repositories, event);
  },
});
