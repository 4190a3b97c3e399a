import { z } from 'zod';
import { Detail, ExternalId, Money, OrderId, PaymentMethod } from '../primitives';

/** One payment per order; its id is the provider's. */
export const PaymentCapturedV1 = z.object({
  orderId: OrderId,
  paymentId: ExternalId,
  amount: Money,
  method: PaymentMethod,
});

export const PaymentFailedV1 = z.object({
  orderId: OrderId,
  amount: Money,
  method: PaymentMethod,
  reason: z.enum(['DECLINED', 'PROVIDER_ERROR']),
  detail: Detail,
});

export const PaymentRefundedV1 = z.object({
  orderId: OrderId,
  paymentId: ExternalId,
  amount: Money,
  refundId: ExternalId,
});

/** The order was cancelled before any charge: a capture that arrives later must not happen. */
export const PaymentCancelledV1 = z.object({ orderId: OrderId });
