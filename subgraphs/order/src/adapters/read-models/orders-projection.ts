import { aggregateFilter, streams, type Envelope } from '@orderflow/contracts';
import type { DocumentChange, ProjectionSpec } from '@orderflow/runtime';
import type { OrderRecord } from '../../application/order-record';

export const ORDERS = 'orders';

/** `version` is the aggregate version the document reflects. */
export interface OrderDocument extends Omit<OrderRecord, 'id'> {
  readonly _id: string;
}

const change = (
  event: Envelope,
  set: Partial<Omit<OrderDocument, '_id' | 'updatedAt' | 'version'>>,
): DocumentChange => ({
  collection: ORDERS,
  id: event.aggregateId,
  update: {
    $set: { ...set, updatedAt: event.occurredAt, version: event.aggregateVersion },
  },
});

/** One document per order, for lists and batched lookups; `order(id)` reads the event store. */
export const ordersProjection: ProjectionSpec = {
  name: ORDERS,
  stream: streams.order.name,
  filterSubject: aggregateFilter('order', 'order'),
  // Newest first, optionally filtered by status or customer: the three shapes of `orders`.
  indexes: [
    { collection: ORDERS, keys: { createdAt: -1, _id: -1 } },
    { collection: ORDERS, keys: { status: 1, createdAt: -1, _id: -1 } },
    { collection: ORDERS, keys: { customerId: 1, createdAt: -1, _id: -1 } },
    // The deadline poller: orders in a waiting status since before a cutoff.
    { collection: ORDERS, keys: { status: 1, updatedAt: 1 } },
  ],
  project: (event) => {
    if (event.type === 'OrderCreated') {
      const { customerId, lines, total, paymentMethod, shippingAddress, placedAt } = event.data;
      return [
        change(event, {
          status: 'CREATED',
          customerId,
          lines,
          total,
          paymentMethod,
          shippingAddress,
          createdAt: placedAt,
        }),
      ];
    }
    if (event.type === 'OrderInventoryReserved') {
      return [change(event, { status: 'INVENTORY_RESERVED' })];
    }
    if (event.type === 'OrderPaymentCaptured') {
      return [change(event, { status: 'PAYMENT_CAPTURED', paymentId: event.data.paymentId })];
    }
    if (event.type === 'OrderShipped') {
      return [change(event, { status: 'SHIPPED', trackingNumber: event.data.trackingNumber })];
    }
    if (event.type === 'OrderCompleted') {
      return [change(event, { status: 'COMPLETED' })];
    }
    if (event.type === 'OrderCancelled') {
      const { reason, detail } = event.data;
      return [
        change(event, {
          status: 'CANCELLED',
          failureReason: reason,
          // The driver would store an undefined field as null.
          ...(detail === undefined ? {} : { failureDetail: detail }),
        }),
      ];
    }
    return [];
  },
};
