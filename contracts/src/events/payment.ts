import { z } from 'zod';
import { Money, OrderId } from '../primitives';

/** One payment per order; its id is the provider's. */
export const PaymentCapturedV1 = z.object({
  orderId: OrderId,
  paymentId: z.string().min(1),
  amount: Money,
  method: z.string().min(1),
});

export const PaymentFailedV1 = z.object({
  orderId: OrderId,
  amount: Money,
  method: z.string().min(1),
  reason: z.enum(['DECLINED', 'PROVIDER_ERROR']),
  detail: z.string(),
});

export const PaymentRefundedV1 = z.object({
  orderId: OrderId,
  paymentId: z.string().min(1),
  amount: Money,
  refundId: z.string().min(1),
});

/** The order was cancelled before any charge: a capture that arrives later must not happen. */
export const PaymentCancelledV1 = z.object({ orderId: OrderId });
