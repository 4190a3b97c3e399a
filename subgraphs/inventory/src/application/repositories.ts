import { AggregateRepository, type EventStore } from '@orderflow/runtime';
import {
  productDecider,
  type ProductCommand,
  type ProductEvent,
  type ProductState,
} from '../domain/product';
import {
  reservationDecider,
  type ReservationCommand,
  type ReservationEvent,
  type ReservationState,
} from '../domain/reservation';

export type ProductRepository = AggregateRepository<ProductCommand, ProductState, ProductEvent>;
export type ReservationRepository = AggregateRepository<
  ReservationCommand,
  ReservationState,
  ReservationEvent
>;

export interface Repositories {
  /** One aggregate per SKU: `inventory.events.product.<sku>`. */
  readonly products: ProductRepository;
  /** One aggregate per order: `inventory.events.reservation.<orderId>`. */
  readonly reservations: ReservationRepository;
}

/** Built once per process: each repository keeps recently used aggregates folded in memory. */
export const createRepositories = (store: EventStore): Repositories => ({
  products: new AggregateRepository(store, productDecider, {
    context: 'inventory',
    aggregate: 'product',
  }),
  reservations: new AggregateRepository(store, reservationDecider, {
    context: 'inventory',
    aggregate: 'reservation',
  }),
});
