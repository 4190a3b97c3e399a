import type { Handled } from '@orderflow/runtime';
import type { ShipmentState } from '../../domain/shipment';
import type { ShipmentView } from '../read-models/shipments-read-model';

/**
 * A shipment as the aggregate just wrote it, which the read model may not show yet. Only the
 * dispatch time and the failure detail come from the read model: the aggregate does not keep them.
 */
export const writtenShipment = (
  orderId: string,
  { state, updatedAt }: Handled<ShipmentState>,
  projected: ShipmentView | null,
): ShipmentView => {
  if (state.status === 'NONE' || updatedAt === undefined) {
    throw new Error(`the shipment of order ${orderId} has no events after being written`);
  }
  return {
    orderId,
    status: state.status,
    carrier: state.parcel?.carrier ?? null,
    trackingNumber: state.parcel?.trackingNumber ?? null,
    failureReason: projected?.failureReason ?? null,
    dispatchedAt: projected?.dispatchedAt ?? null,
    // Nothing follows a delivery, so the shipment's last event is the delivery itself.
    deliveredAt: state.status === 'DELIVERED' ? updatedAt : null,
    updatedAt,
  };
};
