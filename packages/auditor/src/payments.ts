import type { OrderHistory } from './histories';
import type { Lifecycle } from './lifecycle';
import { elapsedMs, overdue, type Clock } from './time';
import { describeEvent, describeEvents, seconds, orderSubject, type Violation } from './violation';

/**
 * no-charge-without-capture: money kept (captured, not refunded) means the order reached
 * PAYMENT_CAPTURED with that payment. A cancelled order's capture is refund-exactly-once's to
 * report, so one missing refund is one violation.
 */
export const checkCharge = (
  { orderId, captures, refunds }: OrderHistory,
  { current, paymentCaptured }: Lifecycle,
  clock: Clock,
): Violation[] => {
  const [capture] = captures;
  if (!capture || refunds.length > 0 || current?.status === 'CANCELLED') return [];
  const violation = (message: string): Violation[] => [
    { invariant: 'no-charge-without-capture', subject: orderSubject(orderId), message },
  ];
  if (paymentCaptured) {
    const recorded = paymentCaptured.data.paymentId;
    if (recorded === capture.data.paymentId) return [];
    return violation(
      `${describeEvent(capture)} charged payment ${capture.data.paymentId}, but the order ` +
        `recorded payment ${recorded} in ${describeEvent(paymentCaptured)}: the order must ` +
        'reach PAYMENT_CAPTURED with the payment that charged it',
    );
  }
  // The order records a capture through its own consumer: give it the grace to catch up.
  if (!overdue([capture], clock)) return [];
  const where = current ? `it is ${current.status}` : 'the ORDER stream has no such order';
  return violation(
    `${describeEvent(capture)} charged the customer ${seconds(elapsedMs(capture, clock.now))} ` +
      `ago, but the order never reached PAYMENT_CAPTURED (${where}): payment charges only after ` +
      "OrderInventoryReserved, and the order's order-payment consumer records the capture; " +
      'check that consumer and the DEADLETTER stream',
  );
};

/**
 * refund-exactly-once, with the other once-per-order side effects: a cancelled order that was
 * charged is refunded once, nothing else is refunded, and no order is charged or dispatched twice.
 */
export const checkRefunds = (
  { orderId, captures, refunds, dispatches }: OrderHistory,
  { current }: Lifecycle,
  clock: Clock,
): Violation[] => {
  const messages: string[] = [];
  if (captures.length > 1) {
    messages.push(
      `Charged ${captures.length} times: ${describeEvents(captures)}; ` +
        'payment must capture once per order (its provider call is keyed by the order)',
    );
  }
  if (refunds.length > 1) {
    messages.push(
      `Refunded ${refunds.length} times: ${describeEvents(refunds)}; ` +
        'payment must refund a capture once',
    );
  }
  if (refunds.length > 0 && captures.length === 0) {
    messages.push(
      `Refunded (${describeEvents(refunds)}) but never charged: there is no PaymentCaptured`,
    );
  }
  const last = current?.since;
  if (last?.type === 'OrderCompleted' && refunds.length > 0) {
    messages.push(
      `Refunded (${describeEvents(refunds)}) although it completed with ${describeEvent(last)}: ` +
        'the saga never refunds a delivered order',
    );
  }
  const [capture] = captures;
  if (
    last?.type === 'OrderCancelled' &&
    capture &&
    refunds.length === 0 &&
    overdue([last, capture], clock)
  ) {
    messages.push(
      `Charged by ${describeEvent(capture)} and cancelled (${last.data.reason}) by ` +
        `${describeEvent(last)}, but not refunded: payment refunds a capture when it sees ` +
        'OrderCancelled, or when its capture lands after one; check its payment-saga consumer ' +
        'and the DEADLETTER stream',
    );
  }
  if (dispatches.length > 1) {
    messages.push(
      `Dispatched ${dispatches.length} times: ${describeEvents(dispatches)}; ` +
        'shipping must dispatch once per order',
    );
  }
  return messages.map((message) => ({
    invariant: 'refund-exactly-once',
    subject: orderSubject(orderId),
    message,
  }));
};
