import { waitFor, type NatsAccess } from '@orderflow/stack';
import type { PlacedOrder } from './load';
import { readEvents, type LoggedEvent } from './log';

const STREAMS = ['ORDER', 'INVENTORY', 'PAYMENT', 'SHIPPING'];

/** Effects an order must have at most once, whatever was redelivered, retried or replayed. */
const ONCE = [
  'OrderCreated',
  'InventoryReserved',
  'PaymentCaptured',
  'PaymentRefunded',
  'ShipmentDispatched',
  'ShipmentDelivered',
  'OrderCompleted',
  'OrderCancelled',
];

export interface Verdict {
  /** Accepted orders with no OrderCreated in the log, or none of OrderCompleted/OrderCancelled. */
  readonly lost: readonly string[];
  /** "<order> <event> xN" for every effect the log holds more than once. */
  readonly doubled: readonly string[];
  /** Orders placed with a declining card that completed anyway. */
  readonly wrongOutcome: readonly string[];
  readonly completed: number;
  readonly cancelled: number;
}

const byOrder = (events: readonly LoggedEvent[]) => {
  const counts = new Map<string, Map<string, number>>();
  for (const { orderId, type } of events) {
    if (orderId === undefined) continue;
    const of = counts.get(orderId) ?? new Map<string, number>();
    of.set(type, (of.get(type) ?? 0) + 1);
    counts.set(orderId, of);
  }
  return counts;
};

const isTerminal = (of: Map<string, number> | undefined) =>
  (of?.get('OrderCompleted') ?? 0) + (of?.get('OrderCancelled') ?? 0) > 0;

/** Waits (up to `timeoutMs`) for every placed order to end, then reads the verdict off the log. */
export const judge = async (
  bus: NatsAccess,
  placed: readonly PlacedOrder[],
  timeoutMs: number,
): Promise<Verdict> => {
  let counts = new Map<string, Map<string, number>>();
  await waitFor(
    'every placed order to reach a terminal status',
    async () => {
      counts = byOrder(await readEvents(bus, STREAMS));
      return placed.every(({ id }) => isTerminal(counts.get(id)));
    },
    { timeoutMs, intervalMs: 1_000 },
  ).catch(() => undefined);
  const lost = placed.filter(
    ({ id }) => !counts.get(id)?.get('OrderCreated') || !isTerminal(counts.get(id)),
  );
  const doubled = placed.flatMap(({ id }) =>
    ONCE.flatMap((type) => {
      const count = counts.get(id)?.get(type) ?? 0;
      return count > 1 ? [`${id} ${type} x${count}`] : [];
    }),
  );
  return {
    lost: lost.map(({ id }) => id),
    doubled,
    wrongOutcome: placed
      .filter(({ id, declined }) => declined && (counts.get(id)?.get('OrderCompleted') ?? 0) > 0)
      .map(({ id }) => id),
    completed: placed.filter(({ id }) => counts.get(id)?.get('OrderCompleted')).length,
    cancelled: placed.filter(({ id }) => counts.get(id)?.get('OrderCancelled')).length,
  };
};
