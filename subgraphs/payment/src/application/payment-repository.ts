import { AggregateRepository, type EventStore } from '@orderflow/runtime';
import {
  paymentDecider,
  type PaymentCommand,
  type PaymentEvent,
  type PaymentState,
} from '../domain/payment';

export type PaymentRepository = AggregateRepository<PaymentCommand, PaymentState, PaymentEvent>;

/** One aggregate per order: `payment.events.payment.<orderId>`. Built once per process. */
export const createPaymentRepository = (store: EventStore): PaymentRepository =>
  new AggregateRepository(store, paymentDecider, { context: 'payment', aggregate: 'payment' });
