import type { Outcome } from './outcomes';
import { count, figure, percentile, renderTable } from '../stats';

/** When an order ended, and whether it completed. */
export interface Finish {
  readonly at: number;
  readonly completed: boolean;
}

/** One order's end, as the client that placed it saw it. */
export interface Ended {
  readonly outcome: Outcome;
  /** ms from placing it to its end. */
  readonly latency: number;
  /** ms from placing it to the subscription telling of each status. */
  readonly statuses: ReadonlyMap<string, number>;
}

export interface Tallied {
  readonly completed: number;
  readonly cancelled: number;
  /** From the first order placed to the last one ended. */
  readonly seconds: number;
  /** Place-to-COMPLETED, of the completed orders. */
  readonly latencies: readonly number[];
  /** When each order ended, and whether it completed. */
  readonly finishes: readonly Finish[];
  /** Per status, ms from placing each completed order to the subscription telling of it. */
  readonly statusLatencies: ReadonlyMap<string, readonly number[]>;
}

/** Orders' ends as they come, whatever drives them (a closed or an open loop). */
export class Tally {
  private readonly began = performance.now();
  private ended = this.began;
  private completed = 0;
  private cancelled = 0;
  private readonly latencies: number[] = [];
  private readonly finishes: Finish[] = [];
  private readonly statusLatencies = new Map<string, number[]>();

  record({ outcome, latency, statuses }: Ended): void {
    this.ended = Math.max(this.ended, outcome.at);
    const completed = outcome.status === 'COMPLETED';
    this.finishes.push({ at: outcome.at, completed });
    if (!completed) {
      this.cancelled++;
      return;
    }
    this.completed++;
    this.latencies.push(latency);
    for (const [status, ms] of statuses) {
      const known = this.statusLatencies.get(status);
      if (known === undefined) this.statusLatencies.set(status, [ms]);
      else known.push(ms);
    }
  }

  result(): Tallied {
    return {
      completed: this.completed,
      cancelled: this.cancelled,
      seconds: (this.ended - this.began) / 1000,
      latencies: this.latencies,
      finishes: this.finishes,
      statusLatencies: this.statusLatencies,
    };
  }
}

const STATUSES = ['CREATED', 'INVENTORY_RESERVED', 'PAYMENT_CAPTURED', 'SHIPPED', 'COMPLETED'];

/** p50 and p99 from placeOrder to each status the subscription told of. */
export const statusTable = (statusLatencies: ReadonlyMap<string, readonly number[]>): string =>
  renderTable(
    ['status', 'orders', 'p50 ms', 'p99 ms'],
    STATUSES.map((status) => {
      const samples = statusLatencies.get(status) ?? [];
      return [
        status,
        count(samples.length),
        figure(percentile(samples, 0.5)),
        figure(percentile(samples, 0.99)),
      ];
    }),
  );
