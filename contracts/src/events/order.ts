import { z } from 'zod';
import {
  Detail,
  ExternalId,
  MAX_ORDER_LINES,
  Money,
  OrderId,
  PaymentMethod,
  plainText,
  Quantity,
  Sku,
} from '../primitives';

export const OrderLineV1 = z.object({ sku: Sku, quantity: Quantity, unitPrice: Money });

export const ShippingAddressV1 = z.object({
  name: plainText(z.string().min(1).max(200)),
  line1: plainText(z.string().min(1).max(200)),
  city: plainText(z.string().min(1).max(100)),
  postalCode: plainText(z.string().min(1).max(20)),
  country: z.string().regex(/^[A-Z]{2}$/),
});

export const OrderCreatedV1 = z.object({
  orderId: OrderId,
  customerId: ExternalId,
  lines: z.array(OrderLineV1).min(1).max(MAX_ORDER_LINES),
  total: Money,
  paymentMethod: PaymentMethod,
  shippingAddress: ShippingAddressV1,
  placedAt: z.iso.datetime(),
});

/**
 * The order learned that its stock is held: status INVENTORY_RESERVED. It carries what payment
 * needs to charge, so payment reacts to the order's own decision and never to a stale answer.
 */
export const OrderInventoryReservedV1 = z.object({
  orderId: OrderId,
  amount: Money,
  paymentMethod: PaymentMethod,
});

/** Paid: status PAYMENT_CAPTURED. It carries what shipping needs to dispatch. */
export const OrderPaymentCapturedV1 = z.object({
  orderId: OrderId,
  paymentId: ExternalId,
  lines: z
    .array(z.object({ sku: Sku, quantity: Quantity }))
    .min(1)
    .max(MAX_ORDER_LINES),
  shippingAddress: ShippingAddressV1,
});

/** Handed to the carrier: status SHIPPED. */
export const OrderShippedV1 = z.object({ orderId: OrderId, trackingNumber: ExternalId });

/** Delivered: status COMPLETED, terminal. Inventory ships the held stock out of its books. */
export const OrderCompletedV1 = z.object({ orderId: OrderId });

export const CancellationReason = z.enum([
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'CUSTOMER_CANCELLED',
  'SHIPMENT_FAILED',
  'TIMED_OUT',
]);

export const OrderCancelledV1 = z.object({
  orderId: OrderId,
  reason: CancellationReason,
  detail: Detail.optional(),
});
