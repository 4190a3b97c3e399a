import type { RequestContext } from '@orderflow/runtime';
import DataLoader from 'dataloader';
import type { OrderCommands } from '../../application/order-commands';
import type { OrderRecord } from '../../application/order-record';
import type { OrderQueries } from '../../application/order-queries';

export type OrderApplication = OrderCommands & OrderQueries;

export interface OrderContext extends RequestContext {
  readonly orders: OrderApplication;
  /** Per request, so the references of one query are looked up in one batch. */
  readonly orderById: DataLoader<string, OrderRecord | null>;
}

export const orderContext =
  (orders: OrderApplication) =>
  (base: RequestContext): OrderContext => ({
    ...base,
    orders,
    orderById: new DataLoader(async (ids) => {
      const found = new Map((await orders.ordersByIds(ids)).map((order) => [order.id, order]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  });
