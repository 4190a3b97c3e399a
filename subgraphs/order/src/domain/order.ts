import type {
  Decider,
  DomainEvent,
  EventData,
  Money,
  OrderStatus,
  WaitingStatus,
} from '@orderflow/contracts';
import { DomainError } from '@orderflow/contracts';
import {
  priceOrder,
  samePlacement,
  type OrderLine,
  type Placement,
  type ShippingAddress,
} from './placement';

export type OrderEvent = DomainEvent<
  | 'OrderCreated'
  | 'OrderInventoryReserved'
  | 'OrderPaymentCaptured'
  | 'OrderShipped'
  | 'OrderCompleted'
  | 'OrderCancelled'
>;

export type CancellationReason = EventData<'OrderCancelled'>['reason'];

export type { OrderStatus, WaitingStatus } from '@orderflow/contracts';

export interface PlaceOrder extends Placement {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  /** The catalog's price of each requested SKU; undefined for a SKU the catalog does not know. */
  readonly prices: Readonly<Record<string, Money | undefined>>;
  readonly placedAt: string;
}

/** A service's answer to the step the order waits for; `detail` says why when it is a no. */
export type SagaAnswer =
  | { readonly type: 'ConfirmInventory'; readonly orderId: string }
  | { readonly type: 'RejectInventory'; readonly orderId: string; readonly detail: string }
  | { readonly type: 'ConfirmPayment'; readonly orderId: string; readonly paymentId: string }
  | { readonly type: 'RejectPayment'; readonly orderId: string; readonly detail: string }
  | { readonly type: 'ConfirmDispatch'; readonly orderId: string; readonly trackingNumber: string }
  | { readonly type: 'ConfirmDelivery'; readonly orderId: string }
  | { readonly type: 'RejectShipment'; readonly orderId: string; readonly detail: string };

/** The customer (or an admin) cancels; `reason` is their own words. */
export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly orderId: string;
  readonly reason?: string | undefined;
}

/** The deadline of `status` passed; only an order still in that status is cancelled. */
export interface TimeOut {
  readonly type: 'TimeOut';
  readonly orderId: string;
  readonly status: WaitingStatus;
  readonly detail: string;
}

export type OrderCommand = PlaceOrder | SagaAnswer | CancelOrder | TimeOut;

export interface Order {
  readonly id: string;
  readonly status: OrderStatus;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  readonly paymentMethod: string;
  readonly shippingAddress: ShippingAddress;
  readonly failureReason?: CancellationReason;
  readonly failureDetail?: string;
  readonly paymentId?: string;
  readonly trackingNumber?: string;
  readonly createdAt: string;
}

/** null until the order is placed. */
export type OrderState = Order | null;

const place = (command: PlaceOrder, state: OrderState): OrderEvent[] => {
  if (state !== null) {
    // The id comes from the customer's idempotency key: a second placement under it is a retry.
    if (samePlacement(state, command)) return [];
    throw new DomainError(
      'CONFLICT',
      'this idempotencyKey was already used for a different order; use a new key for a new order',
    );
  }
  const { lines, total } = priceOrder(command, command.prices);
  return [
    {
      type: 'OrderCreated',
      data: {
        orderId: command.orderId,
        customerId: command.customerId,
        lines,
        total,
        paymentMethod: command.paymentMethod,
        shippingAddress: command.shippingAddress,
        placedAt: command.placedAt,
      },
    },
  ];
};

const cancelled = (
  orderId: string,
  reason: CancellationReason,
  detail: string | undefined,
): OrderEvent[] => [
  { type: 'OrderCancelled', data: { orderId, reason, ...(detail ? { detail } : {}) } },
];

/**
 * An answer moves the order only from the status that waits for it. Any other status means the
 * answer is late or repeated: it decides nothing here, and the service that gave it compensates
 * when it sees the order's cancellation.
 */
const answer = (command: SagaAnswer, order: Order): OrderEvent[] => {
  const { orderId } = command;
  const from = (status: OrderStatus, events: () => OrderEvent[]) =>
    order.status === status ? events() : [];
  switch (command.type) {
    case 'ConfirmInventory':
      return from('CREATED', () => [
        {
          type: 'OrderInventoryReserved',
          data: { orderId, amount: order.total, paymentMethod: order.paymentMethod },
        },
      ]);
    case 'RejectInventory':
      return from('CREATED', () => cancelled(orderId, 'OUT_OF_STOCK', command.detail));
    case 'ConfirmPayment':
      return from('INVENTORY_RESERVED', () => [
        {
          type: 'OrderPaymentCaptured',
          data: {
            orderId,
            paymentId: command.paymentId,
            lines: order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
            shippingAddress: order.shippingAddress,
          },
        },
      ]);
    case 'RejectPayment':
      return from('INVENTORY_RESERVED', () =>
        cancelled(orderId, 'PAYMENT_DECLINED', command.detail),
      );
    case 'ConfirmDispatch':
      return from('PAYMENT_CAPTURED', () => [
        { type: 'OrderShipped', data: { orderId, trackingNumber: command.trackingNumber } },
      ]);
    case 'ConfirmDelivery':
      return from('SHIPPED', () => [{ type: 'OrderCompleted', data: { orderId } }]);
    case 'RejectShipment':
      // A carrier may refuse at dispatch (PAYMENT_CAPTURED) or lose the parcel (SHIPPED).
      return order.status === 'PAYMENT_CAPTURED' || order.status === 'SHIPPED'
        ? cancelled(orderId, 'SHIPMENT_FAILED', command.detail)
        : [];
    default: {
      const unknown: never = command;
      throw new Error(`unknown saga answer ${JSON.stringify(unknown)}`);
    }
  }
};

const cancel = (command: CancelOrder, order: Order): OrderEvent[] => {
  switch (order.status) {
    case 'CANCELLED':
      return [];
    case 'SHIPPED':
    case 'COMPLETED':
      throw new DomainError(
        'CONFLICT',
        `order ${order.id} is ${order.status} and can no longer be cancelled; ` +
          'an order can be cancelled until it ships',
      );
    case 'CREATED':
    case 'INVENTORY_RESERVED':
    case 'PAYMENT_CAPTURED':
      return cancelled(order.id, 'CUSTOMER_CANCELLED', command.reason);
    default: {
      const unknown: never = order.status;
      throw new Error(`unknown order status ${String(unknown)}`);
    }
  }
};

/** The refusal for an order that does not exist, and for one the asker may not see. */
export const noSuchOrder = (orderId: string) =>
  new DomainError('NOT_FOUND', `there is no order ${orderId}`);

const decide = (command: OrderCommand, state: OrderState): readonly OrderEvent[] => {
  if (command.type === 'PlaceOrder') return place(command, state);
  if (state === null) {
    if (command.type === 'CancelOrder') throw noSuchOrder(command.orderId);
    // An answer about an order this service never placed: nothing to move.
    return [];
  }
  switch (command.type) {
    case 'CancelOrder':
      return cancel(command, state);
    case 'TimeOut':
      return state.status === command.status
        ? cancelled(state.id, 'TIMED_OUT', command.detail)
        : [];
    default:
      return answer(command, state);
  }
};

const evolve = (state: OrderState, event: OrderEvent): OrderState => {
  if (event.type === 'OrderCreated') {
    const { orderId, placedAt, ...placed } = event.data;
    return { id: orderId, status: 'CREATED', ...placed, createdAt: placedAt };
  }
  if (state === null) return state;
  switch (event.type) {
    case 'OrderInventoryReserved':
      return { ...state, status: 'INVENTORY_RESERVED' };
    case 'OrderPaymentCaptured':
      return { ...state, status: 'PAYMENT_CAPTURED', paymentId: event.data.paymentId };
    case 'OrderShipped':
      return { ...state, status: 'SHIPPED', trackingNumber: event.data.trackingNumber };
    case 'OrderCompleted':
      return { ...state, status: 'COMPLETED' };
    case 'OrderCancelled': {
      const { reason, detail } = event.data;
      return { ...state, status: 'CANCELLED', failureReason: reason, failureDetail: detail };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown order event ${JSON.stringify(unknown)}`);
    }
  }
};

export const orderDecider: Decider<OrderCommand, OrderState, OrderEvent> = {
  decide,
  evolve,
  initialState: (): OrderState => null,
};
