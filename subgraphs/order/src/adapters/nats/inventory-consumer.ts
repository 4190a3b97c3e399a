import { aggregateFilter, streams } from '@orderflow/contracts';
import type { ConsumerSpec } from '@orderflow/runtime';
import type { InventoryReactions } from '../../application/inventory-reactions';

/** Inventory's answers to the reservations that OrderCreated asked for. */
export const inventoryConsumer = (reactions: InventoryReactions): ConsumerSpec => ({
  stream: streams.inventory.name,
  durable: 'order-saga',
  filterSubject: aggregateFilter('inventory', 'reservation'),
  handle: async (event) => {
    if (event.type === 'InventoryReserved') await reactions.onInventoryReserved(event);
    else if (event.type === 'InventoryFailed') await reactions.onInventoryFailed(event);
    // Any other reservation event is inventory's own bookkeeping: acknowledged, nothing to do.
  },
});
