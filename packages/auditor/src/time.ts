import type { EnvelopeMeta } from '@orderflow/contracts';

/**
 * How the invariants that wait for a reaction (a release, a refund, the order catching up with a
 * capture) tell "not yet" from "never": another service reacts through its own consumer, so for a
 * moment after the cause the effect is legitimately missing. Only once `graceMs` has passed since
 * the cause is a missing effect a violation; that is what lets the audit run against a live system.
 */
export interface Clock {
  readonly now: Date;
  readonly graceMs: number;
}

export const elapsedMs = (since: Pick<EnvelopeMeta, 'occurredAt'>, now: Date) =>
  now.getTime() - Date.parse(since.occurredAt);

/** Every cause is older than the grace: the effect they call for is late, not merely pending. */
export const overdue = (causes: readonly Pick<EnvelopeMeta, 'occurredAt'>[], clock: Clock) =>
  causes.every((cause) => elapsedMs(cause, clock.now) > clock.graceMs);
