import {
  orderStatusAfter,
  type EventData,
  type OrderStatus,
  type WaitingStatus,
} from '@orderflow/contracts';
import type { EventOf, OrderEvent, OrderHistory } from './histories';
import { elapsedMs, type Clock } from './time';
import { describeEvent, seconds, orderSubject, type Violation } from './violation';

/** Milliseconds an order may stay in each waiting status (the order service's deadlines). */
export type Deadlines = Readonly<Record<WaitingStatus, number>>;

const isTerminal = (status: OrderStatus): status is 'COMPLETED' | 'CANCELLED' =>
  status === 'COMPLETED' || status === 'CANCELLED';

const statusEnteredBy = (event: OrderEvent): OrderStatus => orderStatusAfter[event.type];

/** Where an order stands: its status, and the order event that put it there. */
export interface Lifecycle {
  /** Undefined when the log holds no order event for it (e.g. a capture for an unknown order). */
  readonly current: { readonly status: OrderStatus; readonly since: OrderEvent } | undefined;
  /** The order's record that it was paid, if it ever reached PAYMENT_CAPTURED. */
  readonly paymentCaptured: EventOf<'OrderPaymentCaptured'> | undefined;
}

/** An order's history with where it stands, as every per-order check reads it. */
export interface AuditedOrder {
  readonly history: OrderHistory;
  readonly lifecycle: Lifecycle;
}

/** Status follows the last order event, even past an invalid step: the log is what happened. */
export const lifecycleOf = ({ lifecycle }: OrderHistory): Lifecycle => {
  const last = lifecycle.at(-1);
  return {
    current: last && { status: statusEnteredBy(last), since: last },
    paymentCaptured: lifecycle.find(
      (event): event is EventOf<'OrderPaymentCaptured'> => event.type === 'OrderPaymentCaptured',
    ),
  };
};

/** The status each forward step leaves. */
const forwardFrom = {
  OrderInventoryReserved: 'CREATED',
  OrderPaymentCaptured: 'INVENTORY_RESERVED',
  OrderShipped: 'PAYMENT_CAPTURED',
  OrderCompleted: 'SHIPPED',
} as const satisfies Record<string, WaitingStatus>;

/** Once shipped, the customer can no longer cancel; only the carrier or the deadline can. */
const cancellableWhenShipped: readonly EventData<'OrderCancelled'>['reason'][] = [
  'SHIPMENT_FAILED',
  'TIMED_OUT',
];

/** Why `event` may not follow `from`, or undefined when it may. */
const transitionProblem = (from: OrderStatus | undefined, event: OrderEvent) => {
  if (from === undefined) {
    return event.type === 'OrderCreated' ? undefined : 'the order has no OrderCreated before it';
  }
  if (isTerminal(from)) return `the order was already ${from}, and nothing may follow that`;
  switch (event.type) {
    case 'OrderCreated':
      return `the order was already created (it is ${from})`;
    case 'OrderCancelled':
      return from !== 'SHIPPED' || cancellableWhenShipped.includes(event.data.reason)
        ? undefined
        : `a SHIPPED order is cancelled only for ${cancellableWhenShipped.join(' or ')}, ` +
            `not ${event.data.reason}`;
    case 'OrderInventoryReserved':
    case 'OrderPaymentCaptured':
    case 'OrderShipped':
    case 'OrderCompleted':
      return from === forwardFrom[event.type]
        ? undefined
        : `it moves an order on from ${forwardFrom[event.type]}, but the order was ${from}`;
  }
};

/** valid-transitions: the order's events follow its state machine. */
export const checkTransitions = ({ orderId, lifecycle }: OrderHistory): Violation[] => {
  const violations: Violation[] = [];
  let status: OrderStatus | undefined;
  for (const event of lifecycle) {
    const problem = transitionProblem(status, event);
    if (problem) {
      violations.push({
        invariant: 'valid-transitions',
        subject: orderSubject(orderId),
        message:
          `${describeEvent(event)} is not a valid step: ${problem}; ` +
          'the order decider should have refused it',
      });
    }
    status = statusEnteredBy(event);
  }
  return violations;
};

/** orders-terminate: no order waits in a status longer than its deadline (plus grace). */
export const checkTermination = (
  { orderId }: OrderHistory,
  { current }: Lifecycle,
  deadlines: Deadlines,
  clock: Clock,
): Violation[] => {
  if (!current || isTerminal(current.status)) return [];
  const waited = elapsedMs(current.since, clock.now);
  const deadline = deadlines[current.status];
  if (waited <= deadline + clock.graceMs) return [];
  return [
    {
      invariant: 'orders-terminate',
      subject: orderSubject(orderId),
      message:
        `In ${current.status} for ${seconds(waited)} since ${describeEvent(current.since)}, past ` +
        `its ${seconds(deadline)} deadline and ${seconds(clock.graceMs)} grace: the order ` +
        "service's deadline poller should have cancelled it (TIMED_OUT); " +
        'is the order service running?',
    },
  ];
};
