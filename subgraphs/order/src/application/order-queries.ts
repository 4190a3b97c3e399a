import { DomainError, OrderId } from '@orderflow/contracts';
import type { Viewer } from '@orderflow/runtime';
import { historyOf, type StatusChange } from '../domain/history';
import { listedCustomer, mayAccess } from './order-access';
import { recordOf, type OrderRecord } from './order-record';
import type { OrderFilter, OrderPosition, OrderReadModel, OrderRepository } from './ports';

const MAX_PAGE = 100;

export interface ListOrders extends OrderFilter {
  readonly first: number;
  readonly after?: OrderPosition | undefined;
}

export interface OrderPage {
  readonly orders: readonly OrderRecord[];
  readonly hasNextPage: boolean;
}

/**
 * What a viewer may read: an order of another customer is null, as one that does not exist, so a
 * customer cannot even learn that it does.
 */
export interface OrderQueries {
  /** From the event store: reflects every command that has returned, unlike the read model. */
  getOrder(id: string, viewer: Viewer): Promise<OrderRecord | null>;
  /** A customer's own orders; an admin's, everyone's unless `customerId` filters. */
  listOrders(request: ListOrders, viewer: Viewer): Promise<OrderPage>;
  /** Those of `ids` that exist and the viewer may read. */
  ordersByIds(ids: readonly string[], viewer: Viewer): Promise<readonly OrderRecord[]>;
  /**
   * Every transition, from the event store; empty for an order that does not exist. Reached only
   * through an order the viewer could read (a field of Order), so it asks no viewer.
   */
  history(id: string): Promise<readonly StatusChange[]>;
}

export const orderQueries = (orders: OrderRepository, readModel: OrderReadModel): OrderQueries => ({
  getOrder: async (id, viewer) => {
    // An id that is no subject token names no order, and must not reach a subject as a wildcard.
    if (!OrderId.safeParse(id).success) return null;
    const order = recordOf(await orders.load(id));
    return order && mayAccess(viewer, order) ? order : null;
  },
  listOrders: async ({ first, after, status, customerId }, viewer) => {
    const filter = { status, customerId: listedCustomer(viewer, customerId) };
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw new DomainError('BAD_USER_INPUT', `first must be from 1 to ${MAX_PAGE}, not ${first}`);
    }
    // One more than asked tells whether another page follows.
    const found = await readModel.page(filter, after, first + 1);
    return { orders: found.slice(0, first), hasNextPage: found.length > first };
  },
  ordersByIds: async (ids, viewer) =>
    (await readModel.byIds(ids)).filter((order) => mayAccess(viewer, order)),
  history: async (id) => (OrderId.safeParse(id).success ? historyOf(await orders.events(id)) : []),
});
