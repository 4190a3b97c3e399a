import { ownedBy, type OrderOwners, type Viewer } from '@orderflow/runtime';
import DataLoader from 'dataloader';
import type { ShipmentsReadModel, ShipmentView } from '../read-models/shipments-read-model';

/** Per request: the shipments of N orders are read in one round trip. */
export interface Loaders {
  readonly shipment: DataLoader<string, ShipmentView | null>;
}

/** A customer sees the shipments of their own orders only, even when asking this subgraph directly. */
export const createLoaders = (
  readModel: ShipmentsReadModel,
  owners: OrderOwners,
  viewer: Viewer,
): Loaders => ({
  shipment: new DataLoader(async (orderIds) => {
    const visible = await ownedBy(viewer, owners, await readModel.findByOrderIds(orderIds));
    const found = new Map(visible.map((s) => [s.orderId, s]));
    return orderIds.map((orderId) => found.get(orderId) ?? null);
  }),
});
