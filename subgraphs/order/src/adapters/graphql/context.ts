import type { RequestContext } from '@orderflow/runtime';
import DataLoader from 'dataloader';
import type { DeadLetterAdmin } from '../../application/dead-letter-admin';
import type { OrderCommands } from '../../application/order-commands';
import type { OrderRecord } from '../../application/order-record';
import type { OrderQueries } from '../../application/order-queries';
import type { WatchOrderStatus } from '../../application/order-subscriptions';

export type OrderApplication = OrderCommands &
  OrderQueries & { readonly watch: WatchOrderStatus; readonly deadLetters: DeadLetterAdmin };

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
    // Another customer's order resolves to null, as a missing one: entities leak nothing either.
    orderById: new DataLoader(async (ids) => {
      const visible = await orders.ordersByIds(ids, base.viewer);
      const found = new Map(visible.map((order) => [order.id, order]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  });
