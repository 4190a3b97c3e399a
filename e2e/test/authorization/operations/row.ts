import type { CustomerOrders } from '../fixtures';

/**
 * One way to ask for an operation: a document, its variables for the orders of the customer it
 * asks about, and what of the answer the outcome is judged on: one value per thing asked about
 * (each null for `null`, each there for `data`), or customer ids (for `own` and `all`).
 */
export interface Ask {
  readonly query: string;
  readonly variables: (orders: CustomerOrders) => Record<string, unknown>;
  readonly pick: (data: unknown) => unknown[];
}

/** A row of the matrix: one operation of the supergraph, about the caller's orders or another's. */
export interface Row {
  /** The supergraph operation it covers, as supergraphOperations() names it. */
  readonly covers: string;
  readonly whose: 'own' | 'other';
  /** Through the gateway; null when no operation makes the gateway send it. */
  readonly gateway: Ask | null;
  /** To the subgraph that serves it, with the gateway's credential and the caller's token. */
  readonly subgraph: Ask;
  /**
   * A subscription that answers only once something happens while it is live: `orders`, to every
   * order, once orders are placed; `alerts`, to every alert rule, once a rule changes state.
   */
  readonly fed?: 'orders' | 'alerts';
}

/** A value at `path`, or null when anything on the way is missing. */
export const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (found, key) =>
      found !== null && typeof found === 'object'
        ? ((found as Record<string, unknown>)[key] ?? null)
        : null,
    value,
  );
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [null]);

export const field =
  (name: string) =>
  (data: unknown): unknown[] => [at(data, name)];
export const both = (ask: Ask) => ({ gateway: ask, subgraph: ask });
