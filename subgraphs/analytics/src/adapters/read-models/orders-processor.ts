import {
  catalog,
  streams,
  type DomainEvent,
  type Envelope,
  type OrderEventType,
} from '@orderflow/contracts';
import type { DocumentChange, DocumentStore, ProjectionSpec } from '@orderflow/runtime';
import {
  addValue,
  count,
  emptySketch,
  fromStored,
  toStored,
  type DurationSketch,
} from '../../domain/quantiles';
import { sagaFact, type SagaInFlight } from '../../domain/saga';
import { eventTimeFold } from './event-time';
import {
  addToBucket,
  bucketId,
  BUCKET_INDEXES,
  ORDER_BUCKETS,
  ORDER_PROCESSOR_STATE,
  SAGAS,
  setBucketSketch,
  type BucketDocument,
  type SagaDocument,
  ORDERS_PROCESSOR,
} from './views';

const NAME = ORDERS_PROCESSOR;

const isOrderEvent = (event: Envelope): event is Envelope<DomainEvent<OrderEventType>> =>
  catalog[event.type].context === 'order';

/**
 * The saga's metrics from the ORDER stream, in event time. Folds a watermark (events whose
 * bucket has closed are counted late, never added to it), the sagas in flight (for durations
 * and the step a failure stopped at) and the open buckets' duration sketches; each is stored with
 * the changes it causes, so a restart resumes exactly where the checkpoint is.
 */
export const ordersProcessor = (allowedLatenessMs: number): ProjectionSpec => {
  const clock = eventTimeFold(NAME, ORDER_PROCESSOR_STATE, allowedLatenessMs);
  let inFlight = new Map<string, SagaInFlight>();
  let sketches = new Map<string, DurationSketch>();

  const durationSketch = (bucket: number, outcome: string, durationMs: number) => {
    const id = bucketId('SAGA_DURATION', bucket, outcome);
    const sketch = addValue(sketches.get(id) ?? emptySketch(), durationMs);
    sketches.set(id, sketch);
    return setBucketSketch('SAGA_DURATION', bucket, outcome, toStored(sketch), count(sketch));
  };

  const forgetClosedSketches = () => {
    const openFrom = clock.openFrom();
    for (const id of sketches.keys()) {
      if (Number(id.split('|')[1]) < openFrom) sketches.delete(id);
    }
  };

  const windowed = (
    event: DomainEvent<OrderEventType>,
    saga: SagaInFlight | undefined,
    at: number,
    bucket: number,
  ): DocumentChange[] => {
    const fact = sagaFact(event, saga, at);
    switch (fact.kind) {
      case 'placed':
        return [
          addToBucket('ORDERS_PLACED', bucket, { count: 1 }, fact.country),
          ...fact.lines.flatMap(({ sku, quantity, unitPrice }) => [
            addToBucket('PRODUCT_UNITS', bucket, { count: 1, sum: quantity }, sku),
            addToBucket(
              'PRODUCT_REVENUE',
              bucket,
              { count: 1, sum: quantity * unitPrice.amount },
              `${sku}/${unitPrice.currency}`,
            ),
          ]),
        ];
      case 'completed':
        return [
          addToBucket('ORDERS_COMPLETED', bucket, { count: 1 }),
          durationSketch(bucket, 'COMPLETED', fact.durationMs),
        ];
      case 'failed':
        return [
          addToBucket('ORDERS_FAILED', bucket, { count: 1 }, `${fact.step}/${fact.reason}`),
          durationSketch(bucket, 'CANCELLED', fact.durationMs),
        ];
      case 'advanced':
      case 'unknown':
        return [];
    }
  };

  /** Where the saga stands: kept whatever the event's lateness, as it is not a window's. */
  const track = (event: DomainEvent<OrderEventType>, orderId: string, at: number) => {
    const set = (fields: Omit<SagaDocument, '_id' | 'createdAt'>): DocumentChange => ({
      collection: SAGAS,
      id: orderId,
      set: fields,
    });
    switch (event.type) {
      case 'OrderCreated':
        inFlight.set(orderId, { status: 'CREATED', createdAt: at });
        return [{ ...set({ status: 'CREATED', endedAt: null }), setOnInsert: { createdAt: at } }];
      case 'OrderInventoryReserved':
      case 'OrderPaymentCaptured':
      case 'OrderShipped': {
        const saga = inFlight.get(orderId);
        if (saga === undefined) return [];
        const status = sagaFact(event, saga, at);
        if (status.kind !== 'advanced') return [];
        inFlight.set(orderId, { ...saga, status: status.status });
        return [set({ status: status.status, endedAt: null })];
      }
      case 'OrderCompleted':
      case 'OrderCancelled':
        inFlight.delete(orderId);
        return [
          set({ status: event.type === 'OrderCompleted' ? 'COMPLETED' : 'CANCELLED', endedAt: at }),
        ];
    }
  };

  return {
    name: NAME,
    version: 2,
    stream: streams.order.name,
    filterSubject: streams.order.subjects[0]!,
    collections: [
      { name: ORDER_BUCKETS, indexes: BUCKET_INDEXES },
      { name: SAGAS, indexes: [{ endedAt: 'asc', status: 'asc' }] },
      { name: ORDER_PROCESSOR_STATE },
    ],
    resume: async (store: DocumentStore) => {
      await clock.resume(store);
      const open = await store.collection<SagaDocument>(SAGAS).find({ where: { endedAt: null } });
      inFlight = new Map(
        open.map((saga) => [
          saga._id,
          { status: saga.status as SagaInFlight['status'], createdAt: saga.createdAt },
        ]),
      );
      const recent = await store.collection<BucketDocument>(ORDER_BUCKETS).find({
        where: {
          metric: 'SAGA_DURATION',
          bucket: { gte: clock.openFrom() },
        },
      });
      sketches = new Map(
        recent.flatMap((doc) => (doc.sketch ? [[doc._id, fromStored(doc.sketch)] as const] : [])),
      );
    },
    project: (event) => {
      if (!isOrderEvent(event)) return [];
      const at = Date.parse(event.occurredAt);
      const bucket = clock.place(event);
      const saga = inFlight.get(event.data.orderId);
      const changes = [
        ...(bucket === undefined ? [] : windowed(event, saga, at, bucket)),
        ...track(event, event.data.orderId, at),
      ];
      forgetClosedSketches();
      return [...changes, clock.state()];
    },
  };
};
