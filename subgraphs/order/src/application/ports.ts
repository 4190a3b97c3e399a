import type { Envelope, Money } from '@orderflow/contracts';
import type { AggregateRepository, DeadLetter, ReplayOutcome } from '@orderflow/runtime';
import type {
  OrderCommand,
  OrderEvent,
  OrderState,
  OrderStatus,
  WaitingStatus,
} from '../domain/order';
import type { OrderRecord } from './order-record';

export type OrderRepository = AggregateRepository<OrderCommand, OrderState, OrderEvent>;

/** An order's events as they happen, for subscriptions; close() stops following. */
export interface OrderFeed extends AsyncIterable<Envelope<OrderEvent>> {
  close(): Promise<void>;
}

/** Follows one order's events, or every order's: from its first event, or from now on. */
export type FollowOrders = (
  orderId: string | undefined,
  from: 'start' | 'now',
) => Promise<OrderFeed>;

/**
 * What the service the order waits for in `status` has written about it so far, oldest first:
 * answers on the log that the order may not have been handed yet.
 */
export type AnswersOnLog = (orderId: string, status: WaitingStatus) => Promise<readonly Envelope[]>;

/** Prices from the local copy of inventory's catalog. */
export interface PriceCatalog {
  /** The price of each SKU the catalog knows; unknown SKUs are left out. */
  pricesOf(skus: readonly string[]): Promise<Readonly<Record<string, Money>>>;
}

export interface OrderFilter {
  readonly status?: OrderStatus | undefined;
  readonly customerId?: string | undefined;
}

/** Where a page ends in the newest-first order: creation time, then id to break ties. */
export interface OrderPosition {
  readonly createdAt: string;
  readonly id: string;
}

/** The orders read model: eventually consistent, for listing and batched lookups. */
export interface OrderReadModel {
  /** Up to `limit` orders matching `filter`, newest first, strictly after `after`. */
  page(
    filter: OrderFilter,
    after: OrderPosition | undefined,
    limit: number,
  ): Promise<readonly OrderRecord[]>;
  /** The orders among `ids` that exist, in any order. */
  byIds(ids: readonly string[]): Promise<readonly OrderRecord[]>;
  /** Up to `limit` ids of orders that entered their waiting status before its cutoff. */
  overdue(
    cutoffs: Readonly<Record<WaitingStatus, string>>,
    limit: number,
  ): Promise<readonly string[]>;
}

/** The dead letters of every service's consumers, on the bus. */
export interface DeadLetters {
  list(options: { durable?: string; afterSeq?: number; limit: number }): Promise<DeadLetter[]>;
  get(seq: number): Promise<DeadLetter | undefined>;
  replay(seq: number): Promise<ReplayOutcome>;
  discard(seq: number): Promise<boolean>;
}
