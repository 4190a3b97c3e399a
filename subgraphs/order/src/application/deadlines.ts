import { deadlineCause, type PollerSpec } from '@orderflow/runtime';
import { isWaiting, type Envelope, type WaitingStatus } from '@orderflow/contracts';
import type { AnswersOnLog, OrderReadModel, OrderRepository } from './ports';

/** How long an order may wait in each status, in milliseconds. */
export type Deadlines = Readonly<Record<WaitingStatus, number>>;

const awaiting: Record<WaitingStatus, string> = {
  CREATED: 'inventory to reserve the stock',
  INVENTORY_RESERVED: 'payment to capture',
  PAYMENT_CAPTURED: 'shipping to dispatch',
  SHIPPED: 'the carrier to deliver',
};

const statuses = Object.keys(awaiting) as WaitingStatus[];

/** Per status, the latest entry time that is now overdue. */
export const overdueCutoffs = (now: Date, deadlines: Deadlines) =>
  Object.fromEntries(
    statuses.map((status) => [status, new Date(now.getTime() - deadlines[status]).toISOString()]),
  ) as Record<WaitingStatus, string>;

/**
 * Times out orders past their deadline. The read model finds candidates; the aggregate has the
 * last word, so an order whose answer has just arrived is left alone. An answer written to the
 * log before the deadline passed wins over it even when the order has not been handed it yet: a
 * message taken by a process that died before its ack comes back only after the ack wait, which
 * may be longer than the deadline. So the answers on the log are applied first (the reaction is
 * idempotent, and derives the same event ids the consumer will when the message comes back).
 */
export const deadlinePoller = (
  orders: OrderRepository,
  readModel: OrderReadModel,
  deadlines: Deadlines,
  intervalMs: number,
  answers: { readonly onLog: AnswersOnLog; readonly react: (event: Envelope) => Promise<void> },
): PollerSpec => ({
  name: 'order-deadlines',
  intervalMs,
  due: (now) => readModel.overdue(overdueCutoffs(now, deadlines), 100),
  handle: async (orderId, now) => {
    const { state, version, updatedAt } = await orders.load(orderId);
    if (!state || !isWaiting(state.status) || updatedAt === undefined) return;
    const limit = deadlines[state.status];
    const expiry = Date.parse(updatedAt) + limit;
    if (expiry > now.getTime()) return;
    for (const event of await answers.onLog(orderId, state.status)) {
      if (Date.parse(event.occurredAt) <= expiry) await answers.react(event);
    }
    await orders.handle(
      orderId,
      {
        type: 'TimeOut',
        orderId,
        status: state.status,
        detail: `no answer within ${limit / 1000} s while waiting for ${awaiting[state.status]}`,
      },
      // One deadline per version of the order: it expires once.
      deadlineCause(`deadline/${orderId}/${version}`, orderId, now),
    );
  },
});
