import type { Envelope } from '@orderflow/contracts';
import { historiesOf } from './histories';
import {
  checkTermination,
  checkTransitions,
  lifecycleOf,
  type AuditedOrder,
  type Deadlines,
} from './lifecycle';
import { checkCharge, checkRefunds } from './payments';
import { auditProduct, checkReservationOutcomes, checkSettledHolds } from './stock';
import type { Violation } from './violation';

export interface AuditOptions {
  /** The moment the log was read; deadlines and grace periods are measured up to it. */
  readonly now: Date;
  readonly deadlines: Deadlines;
  /**
   * How late a reaction may be before its absence is a violation: a release, a refund, an order
   * catching up with a capture, a timeout past its deadline.
   */
  readonly graceMs: number;
}

export interface Report {
  readonly violations: Violation[];
  readonly counts: {
    /** Distinct events (by envelope id). */
    readonly events: number;
    /** Distinct order ids named by any event. */
    readonly orders: number;
    /** Distinct SKUs of the products' own events. */
    readonly products: number;
  };
}

/**
 * Checks the saga's invariants (docs/auditor.md lists them) against a log of events from all four streams. Events
 * of one aggregate must be in aggregateVersion order, as each stream delivers them; across
 * aggregates any order will do. A duplicate (the same envelope id) counts once.
 */
export const audit = (events: readonly Envelope[], options: AuditOptions): Report => {
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  const { products, orders } = historiesOf(unique);
  const clock = { now: options.now, graceMs: options.graceMs };

  const audited = new Map<string, AuditedOrder>(
    [...orders].map(([orderId, history]) => [
      orderId,
      { history, lifecycle: lifecycleOf(history) },
    ]),
  );
  const perOrder = [...audited.values()];
  const perProduct = [...products].map(([sku, history]) => auditProduct(sku, history));

  return {
    violations: [
      ...perProduct.flatMap((product) => product.violations),
      ...perOrder.flatMap(({ history }) => checkReservationOutcomes(history)),
      ...checkSettledHolds(
        perProduct.flatMap((product) => product.holds),
        audited,
        clock,
      ),
      ...perOrder.flatMap(({ history, lifecycle }) => checkCharge(history, lifecycle, clock)),
      ...perOrder.flatMap(({ history, lifecycle }) => checkRefunds(history, lifecycle, clock)),
      ...perOrder.flatMap(({ history, lifecycle }) =>
        checkTermination(history, lifecycle, options.deadlines, clock),
      ),
      ...perOrder.flatMap(({ history }) => checkTransitions(history)),
    ],
    counts: { events: unique.length, orders: orders.size, products: products.size },
  };
};
