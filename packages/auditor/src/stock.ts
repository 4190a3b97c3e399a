import type { EventOf, OrderHistory, ProductEvent } from './histories';
import type { AuditedOrder, Lifecycle } from './lifecycle';
import { elapsedMs, overdue, type Clock } from './time';
import {
  describeEvent,
  describeEvents,
  seconds,
  orderSubject,
  productSubject,
  type InvariantName,
  type Violation,
} from './violation';

/** Units of one product an order holds: reserved for it and not yet released or shipped. */
export interface Hold {
  readonly sku: string;
  readonly orderId: string;
  readonly quantity: number;
  /** The reservation that made the hold what it is now. */
  readonly reservedBy: EventOf<'StockReserved'>;
}

export interface ProductAudit {
  readonly violations: Violation[];
  /** The holds still outstanding at the end of the product's history. */
  readonly holds: Hold[];
}

/**
 * stock-conservation and no-double-reservation, folding one product's events the way its
 * aggregate does. `available + reserved == received - shipped` and `reserved == Σ holds` hold by
 * construction of such a fold; what breaks them in the service's own state is a step that drives
 * `available` or an order's hold below zero, so that is checked, at the event that does it (once
 * per fall below zero: the events after it only repeat the news).
 */
export const auditProduct = (sku: string, events: readonly ProductEvent[]): ProductAudit => {
  const violations: Violation[] = [];
  const holds = new Map<string, Hold>();
  let available = 0;
  const report = (invariant: InvariantName, event: ProductEvent, problem: string) =>
    violations.push({
      invariant,
      subject: productSubject(sku),
      message: `${describeEvent(event)} ${problem}`,
    });

  for (const event of events) {
    switch (event.type) {
      case 'ProductUpserted':
        break;
      case 'StockAdjusted': {
        const { delta, reason } = event.data;
        const before = available;
        available += delta;
        if (before >= 0 && available < 0) {
          report(
            'stock-conservation',
            event,
            `(${delta}, ${reason}) left ${available} available: an adjustment may not remove ` +
              'more than is available; count the shelf and correct it with a RECOUNT',
          );
        }
        break;
      }
      case 'StockReserved': {
        const { orderId, quantity } = event.data;
        const held = holds.get(orderId);
        if (held) {
          report(
            'no-double-reservation',
            event,
            `reserved ${quantity} for order ${orderId}, which still held ${held.quantity} from ` +
              `${describeEvent(held.reservedBy)}: ReserveStock must hold stock once per order`,
          );
        }
        const before = available;
        available -= quantity;
        holds.set(orderId, {
          sku,
          orderId,
          quantity: (held?.quantity ?? 0) + quantity,
          reservedBy: event,
        });
        if (before >= 0 && available < 0) {
          report(
            'stock-conservation',
            event,
            `reserved ${quantity} for order ${orderId} and left ${available} available: ` +
              'a reservation may not take more than is available',
          );
        }
        break;
      }
      case 'StockReleased':
      case 'StockShipped': {
        const { orderId, quantity } = event.data;
        const hold = holds.get(orderId);
        const held = hold?.quantity ?? 0;
        if (quantity > held) {
          report(
            'stock-conservation',
            event,
            `takes back ${quantity} for order ${orderId}, which held ${held}: reserved no longer ` +
              "matches the orders' holds; a release or shipment takes back what the order holds",
          );
        }
        if (event.type === 'StockReleased') available += quantity;
        if (hold && held > quantity) holds.set(orderId, { ...hold, quantity: held - quantity });
        else holds.delete(orderId);
        break;
      }
    }
  }
  return { violations, holds: [...holds.values()] };
};

/** no-double-reservation, order side: the reservation aggregate decides once per order. */
export const checkReservationOutcomes = ({
  orderId,
  reservationOutcomes,
}: OrderHistory): Violation[] =>
  reservationOutcomes.length <= 1
    ? []
    : [
        {
          invariant: 'no-double-reservation',
          subject: orderSubject(orderId),
          message:
            `Inventory answered ${reservationOutcomes.length} times: ` +
            `${describeEvents(reservationOutcomes)}; the reservation aggregate ` +
            'must decide once per order',
        },
      ];

/** What should have emptied an order's holds, and the reaction inventory owes it. */
const settlementOf = (history: OrderHistory, lifecycle: Lifecycle) => {
  const last = lifecycle.current?.since;
  if (last?.type === 'OrderCancelled') {
    return { cause: last, owed: 'releases (StockReleased) what a cancelled order holds' };
  }
  if (last?.type === 'OrderCompleted') {
    return { cause: last, owed: 'ships (StockShipped) what a completed order holds' };
  }
  const failed = history.reservationOutcomes.find((event) => event.type === 'InventoryFailed');
  return failed && { cause: failed, owed: 'releases any partial hold right after InventoryFailed' };
};

/** terminal-orders-hold-no-stock: a settled order's holds are released or shipped (after grace). */
export const checkSettledHolds = (
  holds: readonly Hold[],
  orders: ReadonlyMap<string, AuditedOrder>,
  clock: Clock,
): Violation[] =>
  holds.flatMap(({ sku, orderId, quantity, reservedBy }) => {
    const order = orders.get(orderId);
    const settlement = order && settlementOf(order.history, order.lifecycle);
    if (!settlement || !overdue([settlement.cause, reservedBy], clock)) return [];
    return [
      {
        invariant: 'terminal-orders-hold-no-stock',
        subject: orderSubject(orderId),
        message:
          `Still holds ${quantity} of product ${sku} ` +
          `${seconds(elapsedMs(settlement.cause, clock.now))} after ` +
          `${describeEvent(settlement.cause)}: inventory ${settlement.owed}; check its ` +
          'inventory-saga consumer and the DEADLETTER stream',
      },
    ];
  });
