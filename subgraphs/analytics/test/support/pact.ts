import type { EventData, EventType } from '@orderflow/contracts';
import {
  exampleEvent,
  examplePlacedOrder,
  projectInto,
  type ReceivedMessage,
} from '@orderflow/pact';
import type { DocumentStore, Viewer } from '@orderflow/runtime';
import { metricsViews } from '../../src/adapters/read-models/metrics-read-model';
import { ordersProcessor } from '../../src/adapters/read-models/orders-processor';
import { metricsQueries } from '../../src/application/metrics-queries';
import { BUCKET_MS, type MetricName } from '../../src/domain/metric';

/** When every contract example happens: `exampleEvent` fixes it, so the pact stays the same. */
export const EXAMPLE_TIME = Date.parse('2026-01-01T12:00:00.000Z');

/** The production default: an event up to a minute behind the newest still counts. */
export const LATENESS_MS = 60_000;

/**
 * An event the projection saw before the contract's message, `msEarlier` than it. Fed in time
 * order, none of them is late, and the example (the newest) never is either.
 */
export const earlier = <T extends EventType>(
  msEarlier: number,
  type: T,
  aggregateId: string,
  data: EventData<T>,
  aggregateVersion = 1,
): ReceivedMessage => {
  const { subject, example } = exampleEvent(type, aggregateId, data, aggregateVersion);
  const occurredAt = new Date(EXAMPLE_TIME - msEarlier).toISOString();
  return { subject, data: new TextEncoder().encode(JSON.stringify({ ...example, occurredAt })) };
};

const queriesOf = (store: DocumentStore) =>
  metricsQueries(metricsViews(store), { read: () => Promise.resolve([]) });

/** The admin's snapshot of the last five minutes as at the examples' time: what analytics shows. */
export const snapshotOf = (store: DocumentStore) => queriesOf(store).snapshotFor(5, EXAMPLE_TIME);

const admin: Viewer = { customerId: 'ops', admin: true, token: 'unused' };

/** A metric in the examples' minute, per group, as [group, count, sum]. */
export const byGroup = async (store: DocumentStore, metric: MetricName) => {
  const minute = {
    from: new Date(EXAMPLE_TIME).toISOString(),
    to: new Date(EXAMPLE_TIME + BUCKET_MS).toISOString(),
  };
  const points = await queriesOf(store).series({ metric, ...minute, groupBy: true }, admin);
  return points.map((point) => [point.group, point.count, point.sum]);
};

/**
 * An order analytics saw placed, then cancelled `msEarlier` than the examples: a time to repair
 * is measured from that cancellation to the compensation a contract's message records.
 */
export const cancelledSaga = async (store: DocumentStore, orderId: string, msEarlier: number) => {
  const receive = projectInto(ordersProcessor(LATENESS_MS), store);
  await receive(earlier(msEarlier + 1_000, 'OrderCreated', orderId, examplePlacedOrder(orderId)));
  await receive(
    earlier(msEarlier, 'OrderCancelled', orderId, { orderId, reason: 'PAYMENT_DECLINED' }, 3),
  );
};
