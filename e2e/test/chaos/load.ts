import { setTimeout as sleep } from 'node:timers/promises';
import { orderInput, type Client } from '../support/orderflow';

export interface PlacedOrder {
  readonly id: string;
  readonly idempotencyKey: string;
  /** Placed with a card the payment simulator declines: it must end CANCELLED, not COMPLETED. */
  readonly declined: boolean;
}

export interface Load {
  /** Every order the API accepted so far. */
  readonly placed: readonly PlacedOrder[];
  /** Placements that failed and were retried with the same idempotency key. */
  retries(): number;
  /** Resolves when `total` orders are placed. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Customers placing orders through the gateway, one after another, until `total` are accepted.
 * A placement that fails (a service or the bus is down) is retried with the same idempotency key,
 * as a well-behaved client would: so a retry never places a second order, and none is lost.
 */
export const startLoad = (options: {
  readonly customers: readonly Client[];
  readonly total: number;
  readonly skus: readonly string[];
  readonly pauseMs: number;
  readonly label: string;
}): Load => {
  const placed: PlacedOrder[] = [];
  let retries = 0;
  let started = 0;
  let stopped = false;

  const place = async (customer: Client, n: number) => {
    const idempotencyKey = `${options.label}-${n}`;
    const declined = n % 10 === 7;
    const input = orderInput([{ sku: options.skus[n % options.skus.length]!, quantity: 1 }], {
      idempotencyKey,
      ...(declined ? { paymentMethod: 'pm_card_chargeDeclined' } : {}),
    });
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const { id } = await customer.placeOrder(input);
        placed.push({ id, idempotencyKey, declined });
        return;
      } catch {
        retries++;
        await sleep(Math.min(50 * 2 ** attempt, 1_000));
      }
    }
  };

  const run = async (customer: Client) => {
    while (!stopped && started < options.total) {
      const n = started++;
      await place(customer, n);
      await sleep(options.pauseMs);
    }
  };
  const done = Promise.all(options.customers.map(run)).then(() => undefined);

  return {
    placed,
    retries: () => retries,
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
};
