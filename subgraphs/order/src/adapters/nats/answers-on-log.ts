import { aggregateSubject, streams, type StreamDefinition } from '@orderflow/contracts';
import type { EventStore } from '@orderflow/runtime';
import type { AnswersOnLog } from '../../application/ports';
import type { WaitingStatus } from '../../domain/order';

/** Where the service that the order waits for in each status writes about that order. */
const answerers = {
  CREATED: { stream: streams.inventory, context: 'inventory', aggregate: 'reservation' },
  INVENTORY_RESERVED: { stream: streams.payment, context: 'payment', aggregate: 'payment' },
  PAYMENT_CAPTURED: { stream: streams.shipping, context: 'shipping', aggregate: 'shipment' },
  SHIPPED: { stream: streams.shipping, context: 'shipping', aggregate: 'shipment' },
} as const satisfies Record<WaitingStatus, object>;

/** Reads the answering service's own subject for the order, on its stream. */
export const answersOnLog =
  (storeOf: (stream: StreamDefinition) => EventStore): AnswersOnLog =>
  async (orderId, status) => {
    const { stream, context, aggregate } = answerers[status];
    const stored = await storeOf(stream).read(aggregateSubject(context, aggregate, orderId));
    return stored.map(({ envelope }) => envelope);
  };
