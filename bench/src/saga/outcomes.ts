import { setTimeout as sleep } from 'node:timers/promises';

const TERMINAL = new Set(['COMPLETED', 'CANCELLED']);

const now = () => performance.now();

export interface Outcome {
  readonly status: string;
  readonly at: number;
  readonly via: 'subscription' | 'poll';
}

/**
 * Terminal statuses as they arrive, from the subscription or from a client's own poll; an
 * outcome may arrive before the client that placed the order starts waiting for it.
 */
export class Outcomes {
  private readonly arrived = new Map<string, Outcome>();
  private readonly waiting = new Map<string, (outcome: Outcome) => void>();
  readonly via = { subscription: 0, poll: 0 };
  subscriptionEvents = 0;
  /** When the subscription told of each status of each order, until the order is done. */
  private readonly statusesSeen = new Map<string, Map<string, number>>();

  deliver(orderId: string, status: string, via: Outcome['via']): void {
    if (via === 'subscription') {
      const seen = this.statusesSeen.get(orderId) ?? new Map<string, number>();
      if (!seen.has(status)) seen.set(status, now());
      this.statusesSeen.set(orderId, seen);
    }
    if (!TERMINAL.has(status)) return;
    const outcome = { status, at: now(), via };
    const resolve = this.waiting.get(orderId);
    if (resolve === undefined) {
      if (!this.arrived.has(orderId)) this.arrived.set(orderId, outcome);
      return;
    }
    this.waiting.delete(orderId);
    this.via[via]++;
    resolve(outcome);
  }

  /** When the subscription told of each status of the order; forgets the order. */
  statusesOf(orderId: string): ReadonlyMap<string, number> {
    const seen = this.statusesSeen.get(orderId) ?? new Map<string, number>();
    this.statusesSeen.delete(orderId);
    return seen;
  }

  /** Waits for the order's terminal status, polling `status` now and then in case. */
  async wait(
    orderId: string,
    status: () => Promise<string | undefined>,
    pollMs: number,
    timeoutMs: number,
  ): Promise<Outcome> {
    const early = this.arrived.get(orderId);
    if (early !== undefined) {
      this.arrived.delete(orderId);
      this.via[early.via]++;
      return early;
    }
    const stopPolling = new AbortController();
    const outcome = new Promise<Outcome>((resolve) => this.waiting.set(orderId, resolve));
    const deadline = now() + timeoutMs;
    void (async () => {
      try {
        while (now() < deadline) {
          await sleep(pollMs, undefined, { signal: stopPolling.signal });
          const current = await status().catch(() => undefined);
          if (current !== undefined) this.deliver(orderId, current, 'poll');
        }
      } catch {
        // Aborted: the outcome arrived.
      }
    })();
    const timeout = sleep(timeoutMs, undefined, { signal: stopPolling.signal }).then(() => {
      throw new Error(`order ${orderId} was neither COMPLETED nor CANCELLED after ${timeoutMs} ms`);
    });
    try {
      return await Promise.race([outcome, timeout]);
    } finally {
      stopPolling.abort();
      this.waiting.delete(orderId);
      void timeout.catch(() => undefined);
    }
  }
}
