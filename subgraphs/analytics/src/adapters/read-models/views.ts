import type { DocumentUpsert } from '@orderflow/runtime';
import type { MetricName } from '../../domain/metric';
import type { StoredSketch } from '../../domain/quantiles';

/**
 * Each processor writes collections of its own, so rebuilding one (a new version) empties only
 * what it alone writes: the buckets of its metrics and its fold state.
 */
export const ORDER_BUCKETS = 'order_metric_buckets';
export const PAYMENT_BUCKETS = 'payment_metric_buckets';
export const CLICKSTREAM_BUCKETS = 'clickstream_metric_buckets';
/** Every saga seen, by order id: its status and times, for in-flight counts and durations. */
export const SAGAS = 'sagas';
/** A processor's fold state (its watermark, its late count), one document per processor. */
export const ORDER_PROCESSOR_STATE = 'order_processor_state';
export const PAYMENT_PROCESSOR_STATE = 'payment_processor_state';
export const CLICKSTREAM_PROCESSOR_STATE = 'clickstream_processor_state';

export const ORDERS_PROCESSOR = 'analytics-orders';
export const PAYMENTS_PROCESSOR = 'analytics-payments';
export const CLICKSTREAM_PROCESSOR = 'analytics-clickstream';

/** Where each metric's buckets are. */
export const bucketsHolding: Readonly<Record<MetricName, string>> = {
  ORDERS_PLACED: ORDER_BUCKETS,
  ORDERS_COMPLETED: ORDER_BUCKETS,
  ORDERS_FAILED: ORDER_BUCKETS,
  SAGA_DURATION: ORDER_BUCKETS,
  PRODUCT_UNITS: ORDER_BUCKETS,
  PRODUCT_REVENUE: ORDER_BUCKETS,
  REVENUE: PAYMENT_BUCKETS,
  PAGE_VIEWS: CLICKSTREAM_BUCKETS,
  PRODUCT_VIEWS: CLICKSTREAM_BUCKETS,
  ADDED_TO_CART: CLICKSTREAM_BUCKETS,
  CHECKOUTS_STARTED: CLICKSTREAM_BUCKETS,
  CLIENT_TELEMETRY: CLICKSTREAM_BUCKETS,
};

export const BUCKET_INDEXES = [{ metric: 'asc', bucket: 'asc' }] as const;

export interface BucketDocument {
  readonly _id: string;
  readonly metric: MetricName;
  /** The bucket's start, epoch ms. */
  readonly bucket: number;
  /** '' when the metric has no groups. */
  readonly group: string;
  /** Events counted, or the sum of their amounts. */
  readonly count?: number;
  readonly sum?: number;
  /** SAGA_DURATION: the quantile sketch of the bucket's durations. */
  readonly sketch?: StoredSketch;
}

export interface SagaDocument {
  readonly _id: string;
  readonly status: string;
  readonly createdAt: number;
  /** Null while in flight: the in-flight counts query on it. */
  readonly endedAt: number | null;
}

export interface ProcessorDocument {
  readonly _id: string;
  /** The greatest event time seen, epoch ms; null before the first event. */
  readonly maxEventTime: number | null;
  /** Events that came after their bucket had closed: counted here, never in a bucket. */
  readonly late: number;
  /** Messages that broke the contract, skipped (ingested events only). */
  readonly rejected?: number;
}

export const bucketId = (metric: MetricName, bucket: number, group = '') =>
  `${metric}|${bucket}|${group}`;

/** Adds to a bucket's counters; the document is created on the first event. */
export const addToBucket = (
  metric: MetricName,
  bucket: number,
  amounts: { count?: number; sum?: number },
  group = '',
): DocumentUpsert => ({
  collection: bucketsHolding[metric],
  id: bucketId(metric, bucket, group),
  increment: { count: amounts.count ?? 0, sum: amounts.sum ?? 0 },
  setOnInsert: { metric, bucket, group },
});

export const setBucketSketch = (
  metric: MetricName,
  bucket: number,
  group: string,
  sketch: StoredSketch,
  count: number,
): DocumentUpsert => ({
  collection: bucketsHolding[metric],
  id: bucketId(metric, bucket, group),
  set: { metric, bucket, group, sketch, count },
});
