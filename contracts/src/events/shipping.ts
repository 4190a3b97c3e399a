import { z } from 'zod';
import { Detail, ExternalId, OrderId } from '../primitives';

export const ShipmentDispatchedV1 = z.object({
  orderId: OrderId,
  carrier: ExternalId,
  trackingNumber: ExternalId,
});

export const ShipmentDeliveredV1 = z.object({
  orderId: OrderId,
  trackingNumber: ExternalId,
});

export const ShipmentFailedV1 = z.object({
  orderId: OrderId,
  reason: z.enum(['CARRIER_REJECTED', 'LOST_IN_TRANSIT', 'UNDELIVERABLE']),
  detail: Detail,
});

/** The order was cancelled before dispatch: a dispatch that arrives later must not happen. */
export const ShipmentCancelledV1 = z.object({ orderId: OrderId });
