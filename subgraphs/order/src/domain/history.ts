import { orderStatusAfter, type Envelope } from '@orderflow/contracts';
import type { CancellationReason, OrderEvent, OrderStatus } from './order';

/** One transition of an order: the answer to "what happened to order X, when, and why?". */
export interface StatusChange {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus | null;
  readonly at: string;
  /** The order's event for this transition. */
  readonly event: { readonly type: string; readonly id: string };
  /** What made it happen: another service's event, a request, or a deadline. */
  readonly cause: { readonly type: string; readonly id: string };
  readonly reason: CancellationReason | null;
  readonly detail: string | null;
  /** The order's version after this transition; a subscriber resumes after it. */
  readonly version: number;
}

export const historyOf = (events: readonly Envelope<OrderEvent>[]): StatusChange[] => {
  let previousStatus: OrderStatus | null = null;
  return events.map((event) => {
    const status = orderStatusAfter[event.type];
    const cancellation = event.type === 'OrderCancelled' ? event.data : undefined;
    const change: StatusChange = {
      orderId: event.aggregateId,
      status,
      previousStatus,
      at: event.occurredAt,
      event: { type: event.type, id: event.id },
      cause: { type: event.causationType ?? 'unknown', id: event.causationId },
      reason: cancellation?.reason ?? null,
      detail: cancellation?.detail ?? null,
      version: event.aggregateVersion,
    };
    previousStatus = status;
    return change;
  });
};
