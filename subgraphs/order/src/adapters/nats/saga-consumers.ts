import { aggregateFilter, streams, type Envelope } from '@orderflow/contracts';
import type { ConsumerSpec } from '@orderflow/runtime';

/**
 * One durable per stream the order listens to (NATS 2.9 has no multi-filter consumers): the
 * answers of inventory, payment and shipping. Events the order does not wait for are acked.
 */
export const sagaConsumers = (react: (event: Envelope) => Promise<void>): ConsumerSpec[] => [
  {
    stream: streams.inventory.name,
    durable: 'order-saga',
    filterSubject: aggregateFilter('inventory', 'reservation'),
    handle: react,
  },
  {
    stream: streams.payment.name,
    durable: 'order-payment',
    filterSubject: aggregateFilter('payment', 'payment'),
    handle: react,
  },
  {
    stream: streams.shipping.name,
    durable: 'order-shipping',
    filterSubject: aggregateFilter('shipping', 'shipment'),
    handle: react,
  },
];
