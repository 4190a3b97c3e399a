import { DomainError, type Decider, type DomainEvent } from '@orderflow/contracts';

/** What the carrier answered when asked to take the parcel. */
export type DispatchOutcome =
  | { readonly kind: 'dispatched'; readonly carrier: string; readonly trackingNumber: string }
  | { readonly kind: 'rejected'; readonly detail: string };

/** What the carrier reported once the parcel stopped travelling. */
export type DeliveryOutcome =
  { readonly kind: 'delivered' } | { readonly kind: 'lost'; readonly detail: string };

/**
 * One shipment per order. The carrier's answers are recorded at most once each (a redelivery or a
 * second replica decides nothing new); an admin may confirm a delivery the carrier never reported.
 */
export type ShipmentCommand =
  | { readonly type: 'RecordDispatch'; readonly orderId: string; readonly outcome: DispatchOutcome }
  | { readonly type: 'RecordDelivery'; readonly orderId: string; readonly outcome: DeliveryOutcome }
  | { readonly type: 'ConfirmDelivery'; readonly orderId: string }
  | { readonly type: 'Cancel'; readonly orderId: string };

export type ShipmentEvent = DomainEvent<
  'ShipmentDispatched' | 'ShipmentDelivered' | 'ShipmentFailed' | 'ShipmentCancelled'
>;

export interface Parcel {
  readonly carrier: string;
  readonly trackingNumber: string;
}

/**
 * A dispatched shipment always has its parcel. After it, the parcel stays when the carrier had
 * one (delivered, lost, recalled) and is absent when it never did (rejected, cancelled before).
 */
export type ShipmentState =
  | { readonly status: 'NONE' }
  | { readonly status: 'DISPATCHED'; readonly parcel: Parcel }
  | {
      readonly status: 'DELIVERED' | 'FAILED' | 'CANCELLED';
      readonly parcel: Parcel | undefined;
    };

export type ShipmentStatus = ShipmentState['status'];

const parcelOf = (state: ShipmentState): Parcel | undefined =>
  state.status === 'NONE' ? undefined : state.parcel;

const delivered = (orderId: string, { trackingNumber }: Parcel): ShipmentEvent[] => [
  { type: 'ShipmentDelivered', data: { orderId, trackingNumber } },
];

const recordDispatch = (
  { orderId, outcome }: { orderId: string; outcome: DispatchOutcome },
  state: ShipmentState,
): ShipmentEvent[] => {
  // Dispatched once per order: a second answer (a retry, a cancelled order) changes nothing.
  if (state.status !== 'NONE') return [];
  if (outcome.kind === 'dispatched') {
    const { carrier, trackingNumber } = outcome;
    return [{ type: 'ShipmentDispatched', data: { orderId, carrier, trackingNumber } }];
  }
  return [
    {
      type: 'ShipmentFailed',
      data: { orderId, reason: 'CARRIER_REJECTED', detail: outcome.detail },
    },
  ];
};

const recordDelivery = (
  { orderId, outcome }: { orderId: string; outcome: DeliveryOutcome },
  state: ShipmentState,
): ShipmentEvent[] => {
  if (state.status !== 'DISPATCHED') return [];
  if (outcome.kind === 'delivered') return delivered(orderId, state.parcel);
  return [
    {
      type: 'ShipmentFailed',
      data: { orderId, reason: 'LOST_IN_TRANSIT', detail: outcome.detail },
    },
  ];
};

const confirmDelivery = (orderId: string, state: ShipmentState): ShipmentEvent[] => {
  switch (state.status) {
    case 'DISPATCHED':
      return delivered(orderId, state.parcel);
    case 'DELIVERED':
      return [];
    case 'NONE':
      throw new DomainError(
        'NOT_FOUND',
        `order ${orderId} has no shipment yet: it is dispatched once its payment is captured`,
      );
    case 'FAILED':
      throw new DomainError(
        'CONFLICT',
        `the shipment of order ${orderId} failed (the carrier refused or lost the parcel), so it cannot be delivered; its failureReason says why`,
      );
    case 'CANCELLED':
      throw new DomainError(
        'CONFLICT',
        `the shipment of order ${orderId} was cancelled with its order, so it cannot be delivered`,
      );
    default: {
      const unhandled: never = state;
      throw new Error(`unhandled shipment state ${JSON.stringify(unhandled)}`);
    }
  }
};

const decide = (command: ShipmentCommand, state: ShipmentState): ShipmentEvent[] => {
  switch (command.type) {
    case 'RecordDispatch':
      return recordDispatch(command, state);
    case 'RecordDelivery':
      return recordDelivery(command, state);
    case 'ConfirmDelivery':
      return confirmDelivery(command.orderId, state);
    case 'Cancel': {
      // Before dispatch it stops a late dispatch; after it, it is a recall. Once the parcel
      // arrived, was lost or the shipment was already cancelled, there is nothing to stop.
      if (state.status !== 'NONE' && state.status !== 'DISPATCHED') return [];
      return [{ type: 'ShipmentCancelled', data: { orderId: command.orderId } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled shipment command ${JSON.stringify(unhandled)}`);
    }
  }
};

const evolve = (state: ShipmentState, event: ShipmentEvent): ShipmentState => {
  switch (event.type) {
    case 'ShipmentDispatched': {
      const { carrier, trackingNumber } = event.data;
      return { status: 'DISPATCHED', parcel: { carrier, trackingNumber } };
    }
    case 'ShipmentDelivered':
      return { status: 'DELIVERED', parcel: parcelOf(state) };
    case 'ShipmentFailed':
      return { status: 'FAILED', parcel: parcelOf(state) };
    case 'ShipmentCancelled':
      return { status: 'CANCELLED', parcel: parcelOf(state) };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled shipment event ${JSON.stringify(unhandled)}`);
    }
  }
};

export const shipmentDecider: Decider<ShipmentCommand, ShipmentState, ShipmentEvent> = {
  decide,
  evolve,
  initialState: (): ShipmentState => ({ status: 'NONE' }),
};
