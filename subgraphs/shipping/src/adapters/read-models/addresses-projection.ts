import { aggregateFilter, streams } from '@orderflow/contracts';
import type { ProjectionSpec } from '@orderflow/runtime';
import { ADDRESSES } from './addresses-read-model';

/**
 * Where each paid order goes, from its OrderPaymentCaptured. No shipping event carries the
 * address, and the carrier needs it again when asked about the parcel.
 */
export const addressesProjection: ProjectionSpec = {
  name: ADDRESSES,
  version: 1,
  stream: streams.order.name,
  filterSubject: aggregateFilter('order', 'order'),
  collections: [{ name: ADDRESSES }],
  project: (event) =>
    event.type === 'OrderPaymentCaptured'
      ? [
          {
            collection: ADDRESSES,
            id: event.data.orderId,
            set: { address: event.data.shippingAddress },
          },
        ]
      : [],
};
