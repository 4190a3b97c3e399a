import type { DomainEvent, Envelope, EventData } from '@orderflow/contracts';
import { causedBy } from '@orderflow/runtime';
import { StockUnavailable } from '../domain/product';
import type { ReservationCommand } from '../domain/reservation';
import type { Repositories } from './repositories';

type ReservedLine = EventData<'InventoryReserved'>['lines'][number];

/**
 * One line per SKU (an order may name a SKU twice, and a product holds one reservation per
 * order), in SKU order so that every run and every replica takes products in the same order.
 */
export const linesBySku = (order: EventData<'OrderCreated'>): ReservedLine[] => {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of order.lines) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  // Code-unit order, not localeCompare: replicas must agree whatever their locale.
  return [...totals.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((sku) => ({ sku, quantity: totals.get(sku)! }));
};

/**
 * Reserves an order's stock all or none. The reservation aggregate records the outcome once; the
 * products' holds make each line idempotent; and every event is caused by the OrderCreated, so a
 * redelivery republishes the same event ids and JetStream drops the copies.
 */
export const reserveForOrder = async (
  { products, reservations }: Repositories,
  orderCreated: Envelope<DomainEvent<'OrderCreated'>>,
): Promise<void> => {
  const { orderId } = orderCreated.data;
  const lines = linesBySku(orderCreated.data);
  const cause = causedBy(orderCreated, new Date());

  // Every line, not only those this run reached: a concurrent run of the same order (a
  // redelivery racing a slow replica) may hold lines this one never got to.
  const releaseAll = async () => {
    for (const { sku } of lines) {
      await products.handle(sku, { type: 'ReleaseStock', sku, orderId }, cause);
    }
  };
  // Unless this order's stock ended up reserved, nothing may stay held for it: the reservation
  // failed, or the order was cancelled (released) while this run was taking stock.
  const settle = async (decision: ReservationCommand) => {
    const { state } = await reservations.handle(orderId, decision, cause);
    if (state.status !== 'RESERVED') await releaseAll();
  };

  const { state } = await reservations.load(orderId);
  if (state.status === 'RESERVED') return;
  if (state.status === 'FAILED' || state.status === 'RELEASED') return releaseAll();

  for (const { sku, quantity } of lines) {
    try {
      await products.handle(sku, { type: 'ReserveStock', sku, orderId, quantity }, cause);
    } catch (error) {
      if (!(error instanceof StockUnavailable)) throw error;
      const { reason, requested, available } = error;
      return settle({ type: 'Fail', orderId, reason, sku, requested, available });
    }
  }
  return settle({ type: 'Confirm', orderId, lines });
};
