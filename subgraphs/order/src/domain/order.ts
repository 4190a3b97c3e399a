import type { Decider, DomainEvent, EventData, Money } from '@orderflow/contracts';
import { DomainError } from '@orderflow/contracts';
import {
  priceOrder,
  samePlacement,
  type OrderLine,
  type Placement,
  type ShippingAddress,
} from './placement';

export type OrderEvent = DomainEvent<'OrderCreated' | 'OrderInventoryReserved' | 'OrderCancelled'>;

export type CancellationReason = EventData<'OrderCancelled'>['reason'];

/** The whole lifecycle of DESIGN §4; payment and shipping move an order past INVENTORY_RESERVED. */
export type OrderStatus =
  'CREATED' | 'INVENTORY_RESERVED' | 'PAYMENT_CAPTURED' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';

export interface PlaceOrder extends Placement {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  /** The catalog's price of each requested SKU; undefined for a SKU the catalog does not know. */
  readonly prices: Readonly<Record<string, Money | undefined>>;
  readonly placedAt: string;
}

export interface ConfirmInventory {
  readonly type: 'ConfirmInventory';
  readonly orderId: string;
}

export interface RejectInventory {
  readonly type: 'RejectInventory';
  readonly orderId: string;
  readonly reason: Extract<CancellationReason, 'OUT_OF_STOCK'>;
  /** What inventory lacked, e.g. "WC-006: requested 2, available 0". */
  readonly detail: string;
}

export type OrderCommand = PlaceOrder | ConfirmInventory | RejectInventory;

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
      `idempotencyKey of order ${command.orderId} was already used for a different order; ` +
        'use a new key for a new order',
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

const decide = (command: OrderCommand, state: OrderState): readonly OrderEvent[] => {
  switch (command.type) {
    case 'PlaceOrder':
      return place(command, state);
    case 'ConfirmInventory':
      // Only a waiting order moves on; a late or repeated answer changes nothing.
      return state?.status === 'CREATED'
        ? [{ type: 'OrderInventoryReserved', data: { orderId: command.orderId } }]
        : [];
    case 'RejectInventory':
      return state?.status === 'CREATED'
        ? [
            {
              type: 'OrderCancelled',
              data: { orderId: command.orderId, reason: command.reason, detail: command.detail },
            },
          ]
        : [];
    default: {
      const unknown: never = command;
      throw new Error(`unknown order command ${JSON.stringify(unknown)}`);
    }
  }
};

const evolve = (state: OrderState, event: OrderEvent): OrderState => {
  switch (event.type) {
    case 'OrderCreated': {
      const { orderId, placedAt, ...placed } = event.data;
      return { id: orderId, status: 'CREATED', ...placed, createdAt: placedAt };
    }
    case 'OrderInventoryReserved':
      return state && { ...state, status: 'INVENTORY_RESERVED' };
    case 'OrderCancelled': {
      const { reason, detail } = event.data;
      return (
        state && { ...state, status: 'CANCELLED', failureReason: reason, failureDetail: detail }
      );
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
