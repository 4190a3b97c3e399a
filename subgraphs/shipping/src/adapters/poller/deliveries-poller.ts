import type { PollerSpec } from '@orderflow/runtime';
import type { Deliveries } from '../../application/deliveries';
import { SHIPMENTS, type ShipmentsReadModel } from '../read-models/shipments-read-model';

/** At most this many parcels per tick, so one tick stays short; the rest wait for the next. */
const MAX_PER_TICK = 100;

export interface DeliverySchedule {
  /** How long after dispatch the carrier is first asked about a parcel. */
  readonly delayMs: number;
  readonly intervalMs: number;
}

/**
 * Asks the carrier about every parcel dispatched at least `delayMs` ago and still travelling: at
 * the time a dispatch falls due, or at the latest each interval for what a restart left behind.
 */
export const deliveriesPoller = (
  readModel: ShipmentsReadModel,
  deliveries: Deliveries,
  { delayMs, intervalMs }: DeliverySchedule,
): PollerSpec => ({
  name: 'deliveries',
  intervalMs,
  due: (now) =>
    readModel.dispatchedBy(new Date(now.getTime() - delayMs).toISOString(), MAX_PER_TICK),
  handle: (orderId, now) => deliveries.deliverDue(orderId, now),
  wakeOn: {
    projection: SHIPMENTS,
    dueAt: (event) =>
      event.type === 'ShipmentDispatched' ? Date.parse(event.occurredAt) + delayMs : undefined,
  },
});
