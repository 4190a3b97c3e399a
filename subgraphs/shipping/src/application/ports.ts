import type { EventData } from '@orderflow/contracts';
import type { AggregateRepository } from '@orderflow/runtime';
import type {
  DeliveryOutcome,
  DispatchOutcome,
  ShipmentCommand,
  ShipmentEvent,
  ShipmentState,
} from '../domain/shipment';

/** One aggregate per order: `shipping.events.shipment.<orderId>`. */
export type ShipmentRepository = AggregateRepository<ShipmentCommand, ShipmentState, ShipmentEvent>;

export type ShippingAddress = EventData<'OrderPaymentCaptured'>['shippingAddress'];
export type ShippedLine = EventData<'OrderPaymentCaptured'>['lines'][number];

export interface DispatchRequest {
  /** The same key gets the same answer: a retry after a crash never sends a second parcel. */
  readonly idempotencyKey: string;
  readonly orderId: string;
  readonly address: ShippingAddress;
  readonly lines: readonly ShippedLine[];
}

export interface TrackRequest {
  readonly trackingNumber: string;
  readonly address: ShippingAddress;
}

export type TrackingReport = DeliveryOutcome | { readonly kind: 'in_transit' };

/**
 * The carrier that moves parcels. A refusal or a loss is an answer; a transient failure (the
 * carrier unreachable) throws, so the message or the due delivery is tried again later.
 */
export interface Carrier {
  dispatch(request: DispatchRequest): Promise<DispatchOutcome>;
  track(request: TrackRequest): Promise<TrackingReport>;
}

/** Where each paid order goes: the carrier needs it again when asked about the parcel. */
export interface ShippingAddresses {
  addressOf(orderId: string): Promise<ShippingAddress | undefined>;
}
