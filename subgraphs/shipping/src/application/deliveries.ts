import {
  deadlineCause,
  requestCause,
  requireAdmin,
  type Handled,
  type Viewer,
} from '@orderflow/runtime';
import type { ShipmentState } from '../domain/shipment';
import type { Carrier, ShipmentRepository, ShippingAddresses } from './ports';

/** How a dispatched parcel ends: the carrier reports it, or an admin confirms it. */
export interface Deliveries {
  /** Asks the carrier about a parcel whose delivery is due and records what it reports. */
  deliverDue(orderId: string, now: Date): Promise<void>;
  /** Records a delivery an admin confirmed; returns the shipment as the log now has it. */
  confirmDelivery(
    orderId: string,
    viewer: Viewer,
    requestId: string,
  ): Promise<Handled<ShipmentState>>;
}

export const shipmentDeliveries = (
  shipments: ShipmentRepository,
  carrier: Carrier,
  addresses: ShippingAddresses,
): Deliveries => ({
  deliverDue: async (orderId, now) => {
    const { state } = await shipments.load(orderId);
    // The read model that said it is due may lag behind the log: the log decides.
    if (state.status !== 'DISPATCHED') return;
    const address = await addresses.addressOf(orderId);
    if (!address) throw new Error(`the shipping address of order ${orderId} is not known yet`);
    const report = await carrier.track({ trackingNumber: state.parcel.trackingNumber, address });
    if (report.kind === 'in_transit') return;
    await shipments.handle(
      orderId,
      { type: 'RecordDelivery', orderId, outcome: report },
      deadlineCause(`deliver/${orderId}`, orderId, now),
    );
  },
  confirmDelivery: async (orderId, viewer, requestId) => {
    requireAdmin(viewer, 'confirmDelivery');
    return shipments.handle(
      orderId,
      { type: 'ConfirmDelivery', orderId },
      requestCause(requestId, orderId, new Date()),
    );
  },
});
