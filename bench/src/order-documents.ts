import { randomUUID } from 'node:crypto';
import type {
  CollectionSpec,
  DocumentUpsert,
  FindQuery,
  ProjectedEvent,
  ProjectionIdentity,
  Where,
} from '@orderflow/runtime';

/**
 * Documents shaped like the order service's `orders` read model, with its indexes and its queries.
 * Copied (a benchmark must not import a service): keep in step with
 * subgraphs/order/src/adapters/read-models/orders-projection.ts (fields, indexes) and
 * order-read-model.ts (the `orders` page and the deadline poller's `overdue` query).
 */
export const ORDERS = 'orders';

export const ordersProjection: ProjectionIdentity = { name: ORDERS, version: 1 };

export const ordersCollection: CollectionSpec = {
  name: ORDERS,
  indexes: [
    { createdAt: 'desc', _id: 'desc' },
    { status: 'asc', createdAt: 'desc', _id: 'desc' },
    { customerId: 'asc', createdAt: 'desc', _id: 'desc' },
    { status: 'asc', updatedAt: 'asc', _id: 'asc' },
  ],
};

type Status =
  'CREATED' | 'INVENTORY_RESERVED' | 'PAYMENT_CAPTURED' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';

/** The share of each status, in percent: most orders are done, 8% are in flight. */
const MIX: readonly (readonly [Status, number])[] = [
  ['COMPLETED', 85],
  ['CANCELLED', 7],
  ['CREATED', 2],
  ['INVENTORY_RESERVED', 2],
  ['PAYMENT_CAPTURED', 2],
  ['SHIPPED', 2],
];

/** The aggregate version an order has in each status. */
const VERSION: Readonly<Record<Status, number>> = {
  CREATED: 1,
  INVENTORY_RESERVED: 2,
  PAYMENT_CAPTURED: 3,
  SHIPPED: 4,
  COMPLETED: 5,
  CANCELLED: 3,
};

/** A well-mixed 32-bit hash of a document number (murmur3's finalizer), so statuses interleave. */
const mix32 = (value: number): number => {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

const statusOf = (n: number): Status => {
  let bucket = mix32(n + 1) % 100;
  for (const [status, share] of MIX) {
    if (bucket < share) return status;
    bucket -= share;
  }
  return 'COMPLETED';
};

const T0 = Date.UTC(2025, 0, 1);
/** One order placed per second from T0; 100k orders span about 28 hours. */
const createdAtOf = (n: number) => T0 + n * 1000;
/** In-flight orders changed "just now", long after every order was placed... */
const RECENT = T0 + 30 * 86_400_000;
/** ...except a few SHIPPED orders stuck since shortly after they were placed: the overdue ones. */
export const STUCK_SHIPPED = 5;

const iso = (millis: number) => new Date(millis).toISOString();

/** The deadline poller's query for SHIPPED: every stuck order, and none of those in flight. */
export const deadlineQuery: FindQuery = {
  where: { status: 'SHIPPED', updatedAt: { lt: iso(RECENT) } },
  orderBy: { updatedAt: 'asc' },
  limit: 100,
};

/** The first page of `orders(status: COMPLETED)`: newest first, one more than asked for. */
export const PAGE_STATUS: Status = 'COMPLETED';
export const pageQuery = (after?: { createdAt: string; _id: string }): FindQuery => ({
  where: { status: PAGE_STATUS },
  orderBy: { createdAt: 'desc', _id: 'desc' },
  limit: 51,
  ...(after === undefined ? {} : { after }),
});

export const countWhere: Where = { status: 'SHIPPED' };

const SKUS = ['KB-001', 'MS-002', 'MN-003', 'HD-004', 'CB-005', 'WC-006'];

const fieldsOf = (n: number, status: Status, stuck: boolean) => {
  const h = mix32(n + 0x9e3779b9);
  const lines = Array.from({ length: 1 + (h % 3) }, (_, line) => ({
    sku: SKUS[(h + line) % SKUS.length]!,
    quantity: 1 + ((h >>> (8 + line)) % 4),
    unitPrice: { amount: 900 + ((h >>> 4) % 24_000), currency: 'USD' },
  }));
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0);
  const createdAt = createdAtOf(n);
  const inFlight = status !== 'COMPLETED' && status !== 'CANCELLED';
  const updatedAt = stuck ? createdAt + 2_000 : inFlight ? RECENT + n : createdAt + 4_000;
  return {
    status,
    customerId: `customer-${h % 2_000}`,
    lines,
    total: { amount: total, currency: 'USD' },
    paymentMethod: 'pm_card_visa',
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: `${1 + (h % 200)} Analytical Row`,
      city: 'London',
      postalCode: 'N1 9GU',
      country: 'GB',
    },
    ...(VERSION[status] >= 3 && status !== 'CANCELLED'
      ? { paymentId: `pay_${h.toString(16)}` }
      : {}),
    ...(VERSION[status] >= 4 && status !== 'CANCELLED'
      ? { trackingNumber: `TRK${h.toString(36).toUpperCase()}` }
      : {}),
    ...(status === 'CANCELLED'
      ? { failureReason: 'PAYMENT_DECLINED', failureDetail: 'the card was declined' }
      : {}),
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
    version: VERSION[status],
  };
};

/**
 * The documents of one store as the benchmark fills it: number n is the n-th order placed. It
 * remembers what the measurements need (ids, which ones are done, the completed ones in order)
 * and hands out stream sequences, which only grow, as a projection's do.
 */
export class OrderDocuments {
  readonly ids: string[] = [];
  /** Numbers of the COMPLETED orders, oldest first: the `orders(status: COMPLETED)` list. */
  readonly completed: number[] = [];
  /** Numbers of the completed and cancelled orders: what the write measurements update. */
  readonly done: number[] = [];
  private readonly versions: number[] = [];
  private stuckShipped = 0;
  private seq = 0;

  get size(): number {
    return this.ids.length;
  }

  /** The events that create the next `count` documents, one event and one change each. */
  nextCreations(count: number): ProjectedEvent[] {
    return Array.from({ length: count }, () => {
      const n = this.ids.length;
      const status = statusOf(n);
      const stuck = status === 'SHIPPED' && this.stuckShipped < STUCK_SHIPPED;
      if (stuck) this.stuckShipped++;
      const id = randomUUID();
      this.ids.push(id);
      this.versions.push(VERSION[status]);
      if (status === 'COMPLETED') this.completed.push(n);
      if (status === 'COMPLETED' || status === 'CANCELLED') this.done.push(n);
      return {
        seq: ++this.seq,
        changes: [{ collection: ORDERS, id, set: fieldsOf(n, status, stuck) }],
      };
    });
  }

  /**
   * An event that changes a random finished order the way a late event would: a newer
   * `updatedAt` and version. Its status stays, so the measured queries keep their answers.
   */
  nextUpdate(): ProjectedEvent {
    return this.updateOf(this.done[Math.floor(Math.random() * this.done.length)]!);
  }

  /** `count` such events, each for another order (as many as there are finished orders). */
  nextUpdates(count: number): ProjectedEvent[] {
    const picked = new Set<number>();
    while (picked.size < Math.min(count, this.done.length)) {
      picked.add(this.done[Math.floor(Math.random() * this.done.length)]!);
    }
    return [...picked].map((n) => this.updateOf(n));
  }

  private updateOf(n: number): ProjectedEvent {
    const version = ++this.versions[n]!;
    const seq = ++this.seq;
    const change: DocumentUpsert = {
      collection: ORDERS,
      id: this.ids[n]!,
      set: { updatedAt: iso(createdAtOf(n) + 4_000 + seq), version },
    };
    return { seq, changes: [change] };
  }

  /** `count` distinct random ids, for `getMany`. */
  randomIds(count: number): string[] {
    const picked = new Set<string>();
    while (picked.size < Math.min(count, this.ids.length)) picked.add(this.randomId());
    return [...picked];
  }

  randomId(): string {
    return this.ids[Math.floor(Math.random() * this.ids.length)]!;
  }

  /** The cursor of the completed order at `depth` (0..1) of the newest-first list. */
  cursorAtDepth(depth: number): { createdAt: string; _id: string } {
    const position = Math.min(this.completed.length - 1, Math.floor(depth * this.completed.length));
    const n = this.completed[this.completed.length - 1 - position]!;
    return { createdAt: iso(createdAtOf(n)), _id: this.ids[n]! };
  }
}
