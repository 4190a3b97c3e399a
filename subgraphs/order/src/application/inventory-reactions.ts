import type { DomainEvent, Envelope } from '@orderflow/contracts';
import type { Cause } from '@orderflow/runtime';
import type { OrderRepository } from './ports';

/** The order's side of the saga's first step: inventory answered a reservation request. */
export interface InventoryReactions {
  onInventoryReserved(event: Envelope<DomainEvent<'InventoryReserved'>>): Promise<void>;
  onInventoryFailed(event: Envelope<DomainEvent<'InventoryFailed'>>): Promise<void>;
}

type InventoryAnswer = Envelope<DomainEvent<'InventoryReserved' | 'InventoryFailed'>>;

const causedBy = (event: InventoryAnswer): Cause => ({
  correlationId: event.data.orderId,
  causationId: event.id,
  now: new Date(),
});

export const inventoryReactions = (orders: OrderRepository): InventoryReactions => ({
  onInventoryReserved: async (event) => {
    const { orderId } = event.data;
    await orders.handle(orderId, { type: 'ConfirmInventory', orderId }, causedBy(event));
  },
  onInventoryFailed: async (event) => {
    const { orderId, sku, requested, available } = event.data;
    await orders.handle(
      orderId,
      {
        type: 'RejectInventory',
        orderId,
        reason: 'OUT_OF_STOCK',
        detail: `${sku}: requested ${requested}, available ${available}`,
      },
      causedBy(event),
    );
  },
});
