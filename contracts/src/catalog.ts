import type { z } from 'zod';
import {
  AddedToCartV1,
  AlertRuleChangedV1,
  AlertRuleCreatedV1,
  AlertRuleDeletedV1,
  AlertStateChangedV1,
  CheckoutStartedV1,
  ClientTelemetryV1,
  PageViewedV1,
  ProductViewedV2,
  upcastProductViewedV1,
} from './events/analytics';
import {
  InventoryFailedV1,
  InventoryReservedV1,
  ProductUpsertedV1,
  StockAdjustedV1,
  InventoryReleasedV1,
  StockReleasedV1,
  StockReservedV1,
  StockShippedV1,
} from './events/inventory';
import {
  OrderCancelledV1,
  OrderCompletedV1,
  OrderCreatedV1,
  OrderInventoryReservedV1,
  OrderPaymentCapturedV1,
  OrderShippedV1,
} from './events/order';
import {
  PaymentCancelledV1,
  PaymentCapturedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
} from './events/payment';
import {
  ShipmentCancelledV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentFailedV1,
} from './events/shipping';

export type Context = 'inventory' | 'order' | 'payment' | 'shipping' | 'analytics' | 'clickstream';

/** Moves an event's data one schema version up (from N to N+1). */
export type Upcaster = (data: unknown) => unknown;

export interface EventDefinition {
  /** The bounded context that produces it, which is also the stream it lives in. */
  readonly context: Context;
  /** The aggregate type whose subject holds it. */
  readonly aggregate: string;
  /** The version producers write today; `schema` describes it. */
  readonly version: number;
  readonly schema: z.ZodType;
  /** Keyed by the version they upgrade from; every version below `version` needs one. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

const v1 = <S extends z.ZodType>(context: Context, aggregate: string, schema: S) =>
  ({ context, aggregate, version: 1, schema, upcasters: {} }) as const;

/**
 * A type past v1: `schema` is the current version's, and `upcasters` holds one for each older
 * version (their schemas stay as snapshots in contracts/schemas, never edited).
 */
const versioned = <S extends z.ZodType>(
  context: Context,
  aggregate: string,
  version: number,
  schema: S,
  upcasters: Readonly<Record<number, Upcaster>>,
) => ({ context, aggregate, version, schema, upcasters }) as const;

/** Every event type on the bus. Adding one here is what makes it publishable and consumable. */
export const catalog = {
  ProductUpserted: v1('inventory', 'product', ProductUpsertedV1),
  StockAdjusted: v1('inventory', 'product', StockAdjustedV1),
  StockReserved: v1('inventory', 'product', StockReservedV1),
  StockReleased: v1('inventory', 'product', StockReleasedV1),
  StockShipped: v1('inventory', 'product', StockShippedV1),
  InventoryReserved: v1('inventory', 'reservation', InventoryReservedV1),
  InventoryFailed: v1('inventory', 'reservation', InventoryFailedV1),
  InventoryReleased: v1('inventory', 'reservation', InventoryReleasedV1),
  OrderCreated: v1('order', 'order', OrderCreatedV1),
  OrderInventoryReserved: v1('order', 'order', OrderInventoryReservedV1),
  OrderPaymentCaptured: v1('order', 'order', OrderPaymentCapturedV1),
  OrderShipped: v1('order', 'order', OrderShippedV1),
  OrderCompleted: v1('order', 'order', OrderCompletedV1),
  OrderCancelled: v1('order', 'order', OrderCancelledV1),
  PaymentCaptured: v1('payment', 'payment', PaymentCapturedV1),
  PaymentFailed: v1('payment', 'payment', PaymentFailedV1),
  PaymentRefunded: v1('payment', 'payment', PaymentRefundedV1),
  PaymentCancelled: v1('payment', 'payment', PaymentCancelledV1),
  ShipmentDispatched: v1('shipping', 'shipment', ShipmentDispatchedV1),
  ShipmentDelivered: v1('shipping', 'shipment', ShipmentDeliveredV1),
  ShipmentFailed: v1('shipping', 'shipment', ShipmentFailedV1),
  ShipmentCancelled: v1('shipping', 'shipment', ShipmentCancelledV1),
  AlertRuleCreated: v1('analytics', 'alert-rule', AlertRuleCreatedV1),
  AlertRuleChanged: v1('analytics', 'alert-rule', AlertRuleChangedV1),
  AlertRuleDeleted: v1('analytics', 'alert-rule', AlertRuleDeletedV1),
  AlertStateChanged: v1('analytics', 'alert-rule', AlertStateChangedV1),
  PageViewed: v1('clickstream', 'session', PageViewedV1),
  ProductViewed: versioned('clickstream', 'session', 2, ProductViewedV2, {
    1: upcastProductViewedV1,
  }),
  AddedToCart: v1('clickstream', 'session', AddedToCartV1),
  CheckoutStarted: v1('clickstream', 'session', CheckoutStartedV1),
  ClientTelemetry: v1('clickstream', 'session', ClientTelemetryV1),
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof catalog;
export type EventData<T extends EventType> = z.infer<(typeof catalog)[T]['schema']>;

/** An event as a decider sees it: a type and its data, no transport metadata. */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: { readonly type: K; readonly data: EventData<K> };
}[T];

export const isEventType = (type: string): type is EventType => Object.hasOwn(catalog, type);
