import { aggregateSubject } from '@orderflow/contracts';
import type { EventStore } from '@orderflow/runtime';
import type { OrderPlacements } from '../../application/order-outcomes';

/**
 * Reads an order's lines from its own log (OrderCreated is its first event): the events are the
 * contract between services, and OrderCancelled and OrderCompleted do not repeat the lines.
 */
export const orderPlacementsFromLog = (orderLog: EventStore): OrderPlacements => ({
  placed: async (orderId) => {
    const first = await orderLog.first(aggregateSubject('order', 'order', orderId));
    return first?.envelope.type === 'OrderCreated' ? first.envelope.data : undefined;
  },
});
