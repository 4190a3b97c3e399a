import type { DocumentStore } from '@orderflow/runtime';
import type { Aggregate, MetricsViews, SeriesPoint } from '../../application/ports';
import { waitingStatuses } from '../../domain/saga';
import {
  compensatingContexts,
  compensationsOf,
  type CompensationDocument,
} from './compensations-projection';
import { emptySketch, fromStored, mergeSketches } from '../../domain/quantiles';
import {
  bucketsHolding,
  CLICKSTREAM_PROCESSOR,
  CLICKSTREAM_PROCESSOR_STATE,
  ORDER_PROCESSOR_STATE,
  ORDERS_PROCESSOR,
  PAYMENTS_PROCESSOR,
  PAYMENT_PROCESSOR_STATE,
  SAGAS,
  type BucketDocument,
  type ProcessorDocument,
  type SagaDocument,
} from './views';

const merge = (into: Aggregate | undefined, doc: BucketDocument, group: string): Aggregate => {
  const sketch = doc.sketch ? fromStored(doc.sketch) : undefined;
  return {
    group,
    count: (into?.count ?? 0) + (doc.count ?? 0),
    sum: (into?.sum ?? 0) + (doc.sum ?? 0),
    sketch:
      sketch === undefined ? into?.sketch : mergeSketches(into?.sketch ?? emptySketch(), sketch),
  };
};

const PROCESSOR_STATES: Readonly<Record<string, string>> = {
  [ORDERS_PROCESSOR]: ORDER_PROCESSOR_STATE,
  [PAYMENTS_PROCESSOR]: PAYMENT_PROCESSOR_STATE,
  [CLICKSTREAM_PROCESSOR]: CLICKSTREAM_PROCESSOR_STATE,
};

export const metricsViews = (store: DocumentStore): MetricsViews => ({
  series: async (metric, { from, to, pointMs, byGroup, group }) => {
    const docs = await store.collection<BucketDocument>(bucketsHolding[metric]).find({
      where: {
        metric,
        bucket: { gte: from, lt: to },
        ...(group === undefined ? {} : { group }),
      },
    });
    const points = new Map<string, SeriesPoint>();
    for (const doc of docs) {
      const bucket = from + Math.floor((doc.bucket - from) / pointMs) * pointMs;
      const key = byGroup || group !== undefined ? doc.group : '';
      const id = `${bucket}|${key}`;
      points.set(id, { ...merge(points.get(id), doc, key), bucket });
    }
    return [...points.values()].sort(
      (a, b) => a.bucket - b.bucket || a.group.localeCompare(b.group),
    );
  },
  inFlight: async () => {
    const sagas = store.collection<SagaDocument>(SAGAS);
    const counts = await Promise.all(
      waitingStatuses.map(
        async (status) => [status, await sagas.count({ endedAt: null, status })] as const,
      ),
    );
    return new Map(counts);
  },
  repairTimes: async (from, to) => {
    const cancelled = await store
      .collection<SagaDocument>(SAGAS)
      .find({ where: { endedAt: { gte: from, lt: to }, status: 'CANCELLED' } });
    const ids = cancelled.map((saga) => saga._id);
    const repairedAt = new Map<string, number>();
    for (const context of compensatingContexts) {
      const found = await store
        .collection<CompensationDocument>(compensationsOf(context))
        .getMany(ids);
      for (const { _id, at } of found) repairedAt.set(_id, Math.max(repairedAt.get(_id) ?? at, at));
    }
    return cancelled.flatMap(({ _id, endedAt }) => {
      const at = repairedAt.get(_id);
      return at === undefined || endedAt === null ? [] : [Math.max(0, at - endedAt)];
    });
  },
  processors: async () =>
    Promise.all(
      Object.entries(PROCESSOR_STATES).map(async ([processor, collection]) => {
        const doc = await store.collection<ProcessorDocument>(collection).get(processor);
        return {
          processor,
          late: doc?.late ?? 0,
          rejected: doc?.rejected ?? 0,
          maxEventTime: doc?.maxEventTime ?? undefined,
        };
      }),
    ),
});
