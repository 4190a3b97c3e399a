import { z } from 'zod';
import { Money, OrderId, Quantity, Sku } from '../primitives';

export const OrderLineV1 = z.object({ sku: Sku, quantity: Quantity, unitPrice: Money });

export const ShippingAddressV1 = z.object({
  name: z.string().min(1).max(200),
  line1: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/),
});

export const OrderCreatedV1 = z.object({
  orderId: OrderId,
  customerId: z.string().min(1),
  lines: z.array(OrderLineV1).min(1),
  total: Money,
  paymentMethod: z.string().min(1),
  shippingAddress: ShippingAddressV1,
  placedAt: z.iso.datetime(),
});

/** The order learned that its stock is held: status INVENTORY_RESERVED. */
export const OrderInventoryReservedV1 = z.object({ orderId: OrderId });

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
  detail: z.string().optional(),
});
