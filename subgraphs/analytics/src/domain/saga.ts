import type { DomainEvent, Money, OrderEventType, WaitingStatus } from '@orderflow/contracts';

/** The step a saga waits on in each status: where it stops when it fails there. */
export const stepOf = {
  CREATED: 'INVENTORY',
  INVENTORY_RESERVED: 'PAYMENT',
  PAYMENT_CAPTURED: 'SHIPPING',
  SHIPPED: 'DELIVERY',
} as const satisfies Record<WaitingStatus, string>;

export type SagaStep = (typeof stepOf)[WaitingStatus];

export const waitingStatuses = Object.keys(stepOf) as WaitingStatus[];

/** An order between OrderCreated and its terminal event: what its metrics need to remember. */
export interface SagaInFlight {
  readonly status: WaitingStatus;
  /** Event time of OrderCreated, epoch ms. */
  readonly createdAt: number;
}

/** What one order event means for the metrics. */
export type SagaFact =
  | {
      readonly kind: 'placed';
      readonly lines: readonly { sku: string; quantity: number; unitPrice: Money }[];
      /** Where it ships to: the country of its address. */
      readonly country: string;
    }
  | { readonly kind: 'advanced'; readonly status: WaitingStatus }
  | { readonly kind: 'completed'; readonly durationMs: number }
  | {
      readonly kind: 'failed';
      readonly step: SagaStep;
      readonly reason: string;
      readonly durationMs: number;
    }
  /** An event of an order this fold never saw created, or after its end: nothing to count. */
  | { readonly kind: 'unknown' };

/**
 * Reads an order event against what is remembered of its saga. `at` is the event's time; the
 * duration of a saga runs from its OrderCreated to its terminal event, both in event time.
 */
export const sagaFact = (
  event: DomainEvent<OrderEventType>,
  saga: SagaInFlight | undefined,
  at: number,
): SagaFact => {
  if (event.type === 'OrderCreated') {
    return { kind: 'placed', lines: event.data.lines, country: event.data.shippingAddress.country };
  }
  if (saga === undefined) return { kind: 'unknown' };
  const durationMs = Math.max(0, at - saga.createdAt);
  switch (event.type) {
    case 'OrderInventoryReserved':
      return { kind: 'advanced', status: 'INVENTORY_RESERVED' };
    case 'OrderPaymentCaptured':
      return { kind: 'advanced', status: 'PAYMENT_CAPTURED' };
    case 'OrderShipped':
      return { kind: 'advanced', status: 'SHIPPED' };
    case 'OrderCompleted':
      return { kind: 'completed', durationMs };
    case 'OrderCancelled':
      return { kind: 'failed', step: stepOf[saga.status], reason: event.data.reason, durationMs };
  }
};
