import { z } from 'zod';
import { OrderId } from '../primitives';

export const ShipmentDispatchedV1 = z.object({
  orderId: OrderId,
  carrier: z.string().min(1),
  trackingNumber: z.string().min(1),
});

export const ShipmentDeliveredV1 = z.object({
  orderId: OrderId,
  trackingNumber: z.string().min(1),
});

export const ShipmentFailedV1 = z.object({
  orderId: OrderId,
  reason: z.enum(['CARRIER_REJECTED', 'LOST_IN_TRANSIT', 'UNDELIVERABLE']),
  detail: z.string(),
});

/** The order was cancelled before dispatch: a dispatch that arrives later must not happen. */
export const ShipmentCancelledV1 = z.object({ orderId: OrderId });
