import DataLoader from 'dataloader';
import type { PaymentsReadModel, PaymentView } from '../read-models/payments-read-model';

/** Per request: a query that shows the payment of N orders reads them in one round trip. */
export interface Loaders {
  readonly paymentByOrderId: DataLoader<string, PaymentView | null>;
}

export const createLoaders = (readModel: PaymentsReadModel): Loaders => ({
  paymentByOrderId: new DataLoader(async (orderIds) => {
    const found = new Map(
      (await readModel.findByOrderIds(orderIds)).map((payment) => [payment.orderId, payment]),
    );
    return orderIds.map((orderId) => found.get(orderId) ?? null);
  }),
});
