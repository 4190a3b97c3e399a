import type { EnvelopeMeta } from '@orderflow/contracts';

/**
 * The invariants by their stable names, in the order reports list them: scripts, dashboards and
 * tests match on the names, so a name never changes once published. `contract` is a message the
 * event catalog rejects.
 */
export const invariantNames = [
  'contract',
  'stock-conservation',
  'no-double-reservation',
  'terminal-orders-hold-no-stock',
  'no-charge-without-capture',
  'refund-exactly-once',
  'orders-terminate',
  'valid-transitions',
] as const;

export type InvariantName = (typeof invariantNames)[number];

export interface Violation {
  readonly invariant: InvariantName;
  /** What is wrong, to look up: `order <id>`, `product <sku>`, `message <stream>/<seq>`. */
  readonly subject: string;
  /** What happened, with the events involved, and where to look to fix it. */
  readonly message: string;
}

export const orderSubject = (orderId: string) => `order ${orderId}`;
export const productSubject = (sku: string) => `product ${sku}`;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

type Described = EnvelopeMeta & { readonly type: string };

/** How a message names an event: type, id and time, enough to find it in the log. */
export const describeEvent = (event: Described) =>
  `${event.type} ${event.id} (${event.occurredAt})`;

export const describeEvents = (events: readonly Described[]) =>
  events.map(describeEvent).join(', ');
