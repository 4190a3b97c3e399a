import type { OrderRecord } from '../../application/order-record';

/** The one place the GraphQL Order is built, for the event store's orders and the read model's. */
export const toGraphQLOrder = (order: OrderRecord) => ({
  id: order.id,
  customerId: order.customerId,
  status: order.status,
  lines: order.lines,
  total: order.total,
  paymentMethod: order.paymentMethod,
  shippingAddress: order.shippingAddress,
  failureReason: order.failureReason ?? null,
  failureDetail: order.failureDetail ?? null,
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
  version: order.version,
});
