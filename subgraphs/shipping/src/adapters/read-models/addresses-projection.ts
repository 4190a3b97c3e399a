import { aggregateFilter, streams } from '@orderflow/contracts';
import type { ProjectionSpec } from '@orderflow/runtime';
import { ADDRESSES } from './addresses-read-model';

/**
 * Where each paid order goes, from its OrderPaymentCaptured. No shipping event carries the
 * address, and the carrier needs it again when asked about the parcel.
 */
export const addressesProjection: ProjectionSpec = {
  name: ADDRESSES,
  stream: streams.order.name,
  filterSubject: aggregateFilter('order', 'order'),
  project: (event) =>
    event.type === 'OrderPaymentCaptured'
      ? [
          {
            collection: ADDRESSES,
            id: event.data.orderId,
            update: { $set: { address: event.data.shippingAddress } },
          },
        ]
      : [],
};
