import { graphqlData } from '@orderflow/stack';
import { setTimeout as sleep } from 'node:timers/promises';
import { orderInput } from '../bench-system';

const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER_LOG = `query ($id: ID!) { order(id: $id) { status history { version at } } }`;
const TERMINAL = new Set(['COMPLETED', 'CANCELLED']);

export interface OrderDriver {
  readonly gatewayUrl: string;
  readonly skus: readonly string[];
  /** Orders are placed by customers 0 .. customers-1 in turn. */
  readonly customers: number;
  customerHeaders(i: number): Record<string, string>;
}

export interface Offered {
  /** Ids of the orders placed, in the order the responses came. */
  readonly placed: readonly string[];
  readonly failed: number;
  readonly firstFailure: string | undefined;
  /** The window the orders were offered in, Date.now() ms: began + the seconds asked for. */
  readonly began: number;
  readonly ended: number;
  /** How long each placeOrder took to answer, ms: the gateway serves these beside the fan-out. */
  readonly placeMs: readonly number[];
}

/** Numbers orders across runs, so that each has an idempotency key of its own. */
let nextOrder = 0;

/**
 * An open loop: order i is sent at began + i / rate whether or not earlier ones have been
 * answered, so a slow system meets the same offered rate and shows it as lag, not as a lower rate.
 */
export const offerOrders = async (
  driver: OrderDriver,
  perSecond: number,
  seconds: number,
  stopped: () => boolean,
  /** Called once the last order is sent, before it is answered. */
  onSent: () => void,
): Promise<Offered> => {
  const placed: string[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  const began = Date.now();
  const ended = began + seconds * 1000;
  const sent: Promise<void>[] = [];
  const placeMs: number[] = [];
  for (let i = 0; !stopped(); i++) {
    const due = began + (i * 1000) / perSecond;
    if (due >= ended) break;
    if (due > Date.now()) await sleep(due - Date.now());
    const number = nextOrder++;
    const headers = driver.customerHeaders(number % driver.customers);
    const sentAt = Date.now();
    sent.push(
      graphqlData<{ placeOrder: { id: string } }>(
        driver.gatewayUrl,
        PLACE_ORDER,
        { input: orderInput(number, driver.skus) },
        headers,
      ).then(
        ({ placeOrder }) => {
          placeMs.push(Date.now() - sentAt);
          placed.push(placeOrder.id);
        },
        (error: unknown) => {
          failed++;
          firstFailure ??= error instanceof Error ? error.message : String(error);
        },
      ),
    );
  }
  onSent();
  await Promise.all(sent);
  return { placed, failed, firstFailure, began, ended, placeMs };
};

export interface LoggedOrder {
  readonly id: string;
  readonly status: string;
  /** Every status change in the order's log: its version and when it occurred (ms). */
  readonly events: readonly { readonly version: number; readonly at: number }[];
}

/**
 * The orders' logs as the order service keeps them (Order.history), `concurrency` requests at a
 * time: what every subscriber should have received. Orders not yet COMPLETED or CANCELLED are read
 * again until `deadline`, so their last events are in.
 */
export const readLogs = async (
  gatewayUrl: string,
  adminHeaders: Record<string, string>,
  ids: readonly string[],
  deadline: number,
  concurrency = 8,
): Promise<LoggedOrder[]> => {
  const logs = new Map<string, LoggedOrder>();
  let pending = [...ids];
  for (;;) {
    const queue = [...pending];
    const read = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const { order } = await graphqlData<{
          order: { status: string; history: { version: number; at: string }[] } | null;
        }>(gatewayUrl, ORDER_LOG, { id }, adminHeaders);
        if (order === null) throw new Error(`order ${id} was placed but cannot be read`);
        const events = order.history.map(({ version, at }) => ({ version, at: Date.parse(at) }));
        logs.set(id, { id, status: order.status, events });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, read));
    pending = pending.filter((id) => !TERMINAL.has(logs.get(id)!.status));
    if (pending.length === 0 || Date.now() >= deadline) break;
    await sleep(250);
  }
  return ids.map((id) => logs.get(id)!);
};
