import type { EventType } from './catalog';

/** CREATED -> INVENTORY_RESERVED -> PAYMENT_CAPTURED -> SHIPPED -> COMPLETED, or CANCELLED. */
export type OrderStatus =
  'CREATED' | 'INVENTORY_RESERVED' | 'PAYMENT_CAPTURED' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';

/** The statuses in which an order waits for another service, each under a deadline. */
export type WaitingStatus = Exclude<OrderStatus, 'COMPLETED' | 'CANCELLED'>;

export const isWaiting = (status: OrderStatus): status is WaitingStatus =>
  status !== 'COMPLETED' && status !== 'CANCELLED';

export type OrderEventType = Extract<EventType, `Order${string}`>;

/** The status each order event moves its order into: every order event is a transition. */
export const orderStatusAfter = {
  OrderCreated: 'CREATED',
  OrderInventoryReserved: 'INVENTORY_RESERVED',
  OrderPaymentCaptured: 'PAYMENT_CAPTURED',
  OrderShipped: 'SHIPPED',
  OrderCompleted: 'COMPLETED',
  OrderCancelled: 'CANCELLED',
} as const satisfies Record<OrderEventType, OrderStatus>;
