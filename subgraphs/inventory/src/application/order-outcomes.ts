import type { DomainEvent, Envelope, EventData } from '@orderflow/contracts';
import { causedBy } from '@orderflow/runtime';
import type { Repositories } from './repositories';
import { linesBySku } from './reserve-for-order';

/** What an order asked for, read from the order's own log. */
export interface OrderPlacements {
  placed(orderId: string): Promise<EventData<'OrderCreated'> | undefined>;
}

/**
 * A cancelled order gives back everything it holds. The reservation is marked released first, so
 * a reserve run still in flight cannot confirm afterwards and releases what it took; then every
 * line is released, which is a no-op for lines that hold nothing.
 */
export const releaseForOrder = async (
  { products, reservations }: Repositories,
  placements: OrderPlacements,
  cancelled: Envelope<DomainEvent<'OrderCancelled'>>,
): Promise<void> => {
  const { orderId } = cancelled.data;
  const placed = await placements.placed(orderId);
  if (!placed) return;
  const lines = linesBySku(placed);
  const cause = causedBy(cancelled, new Date());
  await reservations.handle(orderId, { type: 'Release', orderId, lines }, cause);
  for (const { sku } of lines) {
    await products.handle(sku, { type: 'ReleaseStock', sku, orderId }, cause);
  }
};

/** A delivered order's held stock has left the warehouse: it leaves the books too. */
export const shipForOrder = async (
  { products }: Repositories,
  placements: OrderPlacements,
  completed: Envelope<DomainEvent<'OrderCompleted'>>,
): Promise<void> => {
  const { orderId } = completed.data;
  const placed = await placements.placed(orderId);
  if (!placed) return;
  const cause = causedBy(completed, new Date());
  for (const { sku } of linesBySku(placed)) {
    await products.handle(sku, { type: 'ShipStock', sku, orderId }, cause);
  }
};
