import type { DomainEvent, Envelope, EnvelopeMeta, EventType } from '@orderflow/contracts';

/** `Envelope<DomainEvent<T>>`, spelled so that T may be generic. */
export type EventOf<T extends EventType> = EnvelopeMeta & DomainEvent<T>;

export type ProductEvent = EventOf<
  'ProductUpserted' | 'StockAdjusted' | 'StockReserved' | 'StockReleased' | 'StockShipped'
>;

export type OrderEvent = EventOf<
  | 'OrderCreated'
  | 'OrderInventoryReserved'
  | 'OrderPaymentCaptured'
  | 'OrderShipped'
  | 'OrderCompleted'
  | 'OrderCancelled'
>;

/** Everything the invariants need to know about one order, gathered from all four streams. */
export interface OrderHistory {
  readonly orderId: string;
  /** The order aggregate's own events, in aggregateVersion order. */
  readonly lifecycle: OrderEvent[];
  /** The reservation aggregate's decision: one, once inventory has answered. */
  readonly reservationOutcomes: EventOf<'InventoryReserved' | 'InventoryFailed'>[];
  readonly captures: EventOf<'PaymentCaptured'>[];
  readonly refunds: EventOf<'PaymentRefunded'>[];
  readonly dispatches: EventOf<'ShipmentDispatched'>[];
}

export interface Histories {
  /** Each product's events, in aggregateVersion order (one product is one subject). */
  readonly products: ReadonlyMap<string, ProductEvent[]>;
  readonly orders: ReadonlyMap<string, OrderHistory>;
}

/**
 * Sorts the log into per-product and per-order histories. Events keep the order they arrive in,
 * which within one aggregate is its aggregateVersion order; no invariant relies on an order
 * across aggregates, since the streams have none.
 */
export const historiesOf = (events: readonly Envelope[]): Histories => {
  const products = new Map<string, ProductEvent[]>();
  const orders = new Map<string, OrderHistory>();
  const orderOf = (orderId: string) => {
    let history = orders.get(orderId);
    if (!history) {
      history = {
        orderId,
        lifecycle: [],
        reservationOutcomes: [],
        captures: [],
        refunds: [],
        dispatches: [],
      };
      orders.set(orderId, history);
    }
    return history;
  };

  for (const event of events) {
    switch (event.type) {
      case 'ProductUpserted':
      case 'StockAdjusted':
      case 'StockReserved':
      case 'StockReleased':
      case 'StockShipped': {
        const history = products.get(event.data.sku) ?? [];
        history.push(event);
        products.set(event.data.sku, history);
        break;
      }
      case 'OrderCreated':
      case 'OrderInventoryReserved':
      case 'OrderPaymentCaptured':
      case 'OrderShipped':
      case 'OrderCompleted':
      case 'OrderCancelled':
        orderOf(event.data.orderId).lifecycle.push(event);
        break;
      case 'InventoryReserved':
      case 'InventoryFailed':
        orderOf(event.data.orderId).reservationOutcomes.push(event);
        break;
      case 'PaymentCaptured':
        orderOf(event.data.orderId).captures.push(event);
        break;
      case 'PaymentRefunded':
        orderOf(event.data.orderId).refunds.push(event);
        break;
      case 'ShipmentDispatched':
        orderOf(event.data.orderId).dispatches.push(event);
        break;
      case 'InventoryReleased':
      case 'PaymentFailed':
      case 'PaymentCancelled':
      case 'ShipmentDelivered':
      case 'ShipmentFailed':
      case 'ShipmentCancelled':
        // No invariant reads these, but they name an order, which then counts as audited.
        orderOf(event.data.orderId);
        break;
      case 'AlertRuleCreated':
      case 'AlertRuleChanged':
      case 'AlertRuleDeleted':
      case 'AlertStateChanged':
      case 'PageViewed':
      case 'ProductViewed':
      case 'AddedToCart':
      case 'CheckoutStarted':
      case 'ClientTelemetry':
        // Analytics and clickstream: outside the saga, which is all the invariants speak of.
        break;
    }
  }
  return { products, orders };
};
