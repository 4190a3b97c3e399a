import { ownedBy, type OrderOwners, type Viewer } from '@orderflow/runtime';
import DataLoader from 'dataloader';
import type { PaymentsReadModel, PaymentView } from '../read-models/payments-read-model';

/** Per request: a query that shows the payment of N orders reads them in one round trip. */
export interface Loaders {
  readonly paymentByOrderId: DataLoader<string, PaymentView | null>;
}

/** A customer sees the payments of their own orders only, even when asking this subgraph directly. */
export const createLoaders = (
  readModel: PaymentsReadModel,
  owners: OrderOwners,
  viewer: Viewer,
): Loaders => ({
  paymentByOrderId: new DataLoader(async (orderIds) => {
    const visible = await ownedBy(viewer, owners, await readModel.findByOrderIds(orderIds));
    const found = new Map(visible.map((payment) => [payment.orderId, payment]));
    return orderIds.map((orderId) => found.get(orderId) ?? null);
  }),
});
