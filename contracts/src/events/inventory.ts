import { z } from 'zod';
import { MAX_ORDER_LINES, Money, OrderId, plainText, Quantity, Sku } from '../primitives';

export const ProductUpsertedV1 = z.object({
  sku: Sku,
  name: plainText(z.string().min(1).max(200)),
  price: Money,
});

/** A change of on-hand stock that is not a reservation: a delivery from a supplier, a recount. */
export const StockAdjustedV1 = z.object({
  sku: Sku,
  delta: z.number().int(),
  reason: z.enum(['RESTOCK', 'RECOUNT']),
});

/** One product's share of an order's reservation; internal to inventory's all-or-none protocol. */
export const StockReservedV1 = z.object({ sku: Sku, orderId: OrderId, quantity: Quantity });
export const StockReleasedV1 = z.object({ sku: Sku, orderId: OrderId, quantity: Quantity });

/** The held units left the warehouse with a delivered order: reserved goes down for good. */
export const StockShippedV1 = z.object({ sku: Sku, orderId: OrderId, quantity: Quantity });

const ReservedLine = z.object({ sku: Sku, quantity: Quantity });

export const InventoryReservedV1 = z.object({
  orderId: OrderId,
  lines: z.array(ReservedLine).min(1).max(MAX_ORDER_LINES),
});

export const InventoryFailedV1 = z.object({
  orderId: OrderId,
  reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT']),
  sku: Sku,
  requested: Quantity,
  available: z.number().int().nonnegative(),
});

/** The order was cancelled: every unit it held is available again (none, if it held none). */
export const InventoryReleasedV1 = z.object({
  orderId: OrderId,
  lines: z.array(ReservedLine).max(MAX_ORDER_LINES),
});
