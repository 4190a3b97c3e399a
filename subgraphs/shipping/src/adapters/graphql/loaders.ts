import DataLoader from 'dataloader';
import type { ShipmentsReadModel, ShipmentView } from '../read-models/shipments-read-model';

/** Per request: the shipments of N orders are read in one round trip. */
export interface Loaders {
  readonly shipment: DataLoader<string, ShipmentView | null>;
}

export const createLoaders = (readModel: ShipmentsReadModel): Loaders => ({
  shipment: new DataLoader(async (orderIds) => {
    const found = new Map((await readModel.findByOrderIds(orderIds)).map((s) => [s.orderId, s]));
    return orderIds.map((orderId) => found.get(orderId) ?? null);
  }),
});
