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
  set: { ...set, updatedAt: event.occurredAt, version: event.aggregateVersion },
});

/** One document per order, for lists and batched lookups; `order(id)` reads the event store. */
export const ordersProjection: ProjectionSpec = {
  name: ORDERS,
  version: 1,
  stream: streams.order.name,
  filterSubject: aggregateFilter('order', 'order'),
  // Newest first, optionally filtered by status or customer: the three shapes of `orders`.
  collections: [
    {
      name: ORDERS,
      indexes: [
        { createdAt: 'desc', _id: 'desc' },
        { status: 'asc', createdAt: 'desc', _id: 'desc' },
        { customerId: 'asc', createdAt: 'desc', _id: 'desc' },
        // The deadline poller: orders in a waiting status since before a cutoff, oldest first.
        { status: 'asc', updatedAt: 'asc', _id: 'asc' },
      ],
    },
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
          failureDetail: detail,
        }),
      ];
    }
    return [];
  },
};
