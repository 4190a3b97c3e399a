import { deterministicId } from '@orderflow/runtime';
import type { Carrier } from '../../application/ports';

/** The simulator's failure modes, chosen by the shipping address of the order. */
const UNSERVED_POSTAL_CODE = '00000';
const LOST_POSTAL_CODE = '99999';

const CARRIER = 'simulated-carrier';

/** 'SIM' and 12 digits, the same for the same key: a retried dispatch gets the same parcel. */
export const trackingNumberFor = (idempotencyKey: string): string => {
  const hex = deterministicId(idempotencyKey).replaceAll('-', '').slice(0, 12);
  return `SIM${(parseInt(hex, 16) % 1e12).toString().padStart(12, '0')}`;
};

export interface SimulatorOptions {
  /** The probability (0..1) that a tracked parcel is reported lost. */
  readonly failureRate: number;
  /** Injected so tests decide the dice. */
  readonly random?: () => number;
}

/**
 * The default carrier. It keeps no state, so it answers the same after a restart: postal code
 * 00000 is refused at dispatch, 99999 is lost in transit, and any other parcel is lost with
 * probability `failureRate` and delivered otherwise. It never reports a parcel still in transit:
 * the `deliveries` poller asks only once the configured delivery delay has passed.
 */
export const simulatedCarrier = ({
  failureRate,
  random = Math.random,
}: SimulatorOptions): Carrier => ({
  dispatch: async ({ idempotencyKey, address }) =>
    address.postalCode === UNSERVED_POSTAL_CODE
      ? {
          kind: 'rejected',
          detail: `the carrier does not serve postal code ${UNSERVED_POSTAL_CODE}`,
        }
      : { kind: 'dispatched', carrier: CARRIER, trackingNumber: trackingNumberFor(idempotencyKey) },
  track: async ({ trackingNumber, address }) => {
    if (address.postalCode === LOST_POSTAL_CODE) {
      return {
        kind: 'lost',
        detail: `parcel ${trackingNumber} was lost on its way to postal code ${LOST_POSTAL_CODE}`,
      };
    }
    if (random() < failureRate) {
      return { kind: 'lost', detail: `parcel ${trackingNumber} was lost in transit` };
    }
    return { kind: 'delivered' };
  },
});
