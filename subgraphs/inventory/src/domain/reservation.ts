import type { Decider, DomainEvent, EventData } from '@orderflow/contracts';

/**
 * The outcome of one order's reservation. It is decided once; whichever run of the saga decides
 * first wins, and every later Confirm or Fail (a redelivery, a concurrent replica) changes nothing.
 * A cancelled order's reservation is released, after which it can no longer be confirmed.
 */
export type ReservationCommand =
  | ({ readonly type: 'Confirm' } & EventData<'InventoryReserved'>)
  | ({ readonly type: 'Fail' } & EventData<'InventoryFailed'>)
  | ({ readonly type: 'Release' } & EventData<'InventoryReleased'>);

export type ReservationEvent = DomainEvent<
  'InventoryReserved' | 'InventoryFailed' | 'InventoryReleased'
>;

export interface ReservationState {
  readonly status: 'PENDING' | 'RESERVED' | 'FAILED' | 'RELEASED';
}

const decide = (command: ReservationCommand, state: ReservationState): ReservationEvent[] => {
  if (command.type === 'Release') {
    // A failed reservation released its holds when it failed; a released one already is.
    if (state.status === 'FAILED' || state.status === 'RELEASED') return [];
    const { orderId, lines } = command;
    return [{ type: 'InventoryReleased', data: { orderId, lines } }];
  }
  if (state.status !== 'PENDING') return [];
  switch (command.type) {
    case 'Confirm': {
      const { orderId, lines } = command;
      return [{ type: 'InventoryReserved', data: { orderId, lines } }];
    }
    case 'Fail': {
      const { orderId, reason, sku, requested, available } = command;
      return [{ type: 'InventoryFailed', data: { orderId, reason, sku, requested, available } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled reservation command ${JSON.stringify(unhandled)}`);
    }
  }
};

const evolve = (_state: ReservationState, event: ReservationEvent): ReservationState => {
  switch (event.type) {
    case 'InventoryReserved':
      return { status: 'RESERVED' };
    case 'InventoryFailed':
      return { status: 'FAILED' };
    case 'InventoryReleased':
      return { status: 'RELEASED' };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled reservation event ${JSON.stringify(unhandled)}`);
    }
  }
};

export const reservationDecider: Decider<ReservationCommand, ReservationState, ReservationEvent> = {
  decide,
  evolve,
  initialState: (): ReservationState => ({ status: 'PENDING' }),
};
