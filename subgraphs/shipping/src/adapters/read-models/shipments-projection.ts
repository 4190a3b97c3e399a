import { aggregateFilter, catalog, streams, type Envelope } from '@orderflow/contracts';
import type { DocumentChange, ProjectionSpec } from '@orderflow/runtime';
import type { ShipmentEvent } from '../../domain/shipment';
import { SHIPMENTS, type ShipmentDocument } from './shipments-read-model';

const isShipmentEvent = (event: Envelope): event is Envelope<ShipmentEvent> => {
  const { context, aggregate } = catalog[event.type];
  return context === 'shipping' && aggregate === 'shipment';
};

const change = (
  event: Envelope,
  set: Partial<Omit<ShipmentDocument, '_id' | 'updatedAt'>>,
): DocumentChange[] => [
  {
    collection: SHIPMENTS,
    id: event.aggregateId,
    set: { ...set, updatedAt: event.occurredAt },
  },
];

/** The `shipments` read model: one document per order that shipping acted on. */
export const shipmentsProjection: ProjectionSpec = {
  name: SHIPMENTS,
  version: 1,
  stream: streams.shipping.name,
  filterSubject: aggregateFilter('shipping', 'shipment'),
  // The deliveries poller's question: which parcels still travelling were dispatched by when.
  collections: [{ name: SHIPMENTS, indexes: [{ status: 'asc', dispatchedAt: 'asc', _id: 'asc' }] }],
  project: (event) => {
    if (!isShipmentEvent(event)) return [];
    switch (event.type) {
      case 'ShipmentDispatched': {
        const { carrier, trackingNumber } = event.data;
        return change(event, {
          status: 'DISPATCHED',
          carrier,
          trackingNumber,
          dispatchedAt: event.occurredAt,
        });
      }
      case 'ShipmentDelivered':
        return change(event, { status: 'DELIVERED', deliveredAt: event.occurredAt });
      case 'ShipmentFailed':
        return change(event, { status: 'FAILED', failureReason: event.data.detail });
      case 'ShipmentCancelled':
        return change(event, { status: 'CANCELLED' });
    }
  },
};
