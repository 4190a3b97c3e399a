import { DomainError, OrderId } from '@orderflow/contracts';
import { historyOf, type StatusChange } from '../domain/history';
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

export interface OrderQueries {
  /** From the event store: reflects every command that has returned, unlike the read model. */
  getOrder(id: string): Promise<OrderRecord | null>;
  listOrders(request: ListOrders): Promise<OrderPage>;
  ordersByIds(ids: readonly string[]): Promise<readonly OrderRecord[]>;
  /** Every transition, from the event store; empty for an order that does not exist. */
  history(id: string): Promise<readonly StatusChange[]>;
}

export const orderQueries = (orders: OrderRepository, readModel: OrderReadModel): OrderQueries => ({
  getOrder: async (id) => {
    // An id that is no subject token names no order, and must not reach a subject as a wildcard.
    if (!OrderId.safeParse(id).success) return null;
    return recordOf(await orders.load(id));
  },
  listOrders: async ({ first, after, ...filter }) => {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw new DomainError('BAD_USER_INPUT', `first must be from 1 to ${MAX_PAGE}, not ${first}`);
    }
    // One more than asked tells whether another page follows.
    const found = await readModel.page(filter, after, first + 1);
    return { orders: found.slice(0, first), hasNextPage: found.length > first };
  },
  ordersByIds: (ids) => readModel.byIds(ids),
  history: async (id) => (OrderId.safeParse(id).success ? historyOf(await orders.events(id)) : []),
});
