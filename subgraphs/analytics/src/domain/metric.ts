/**
 * What the processors count, each per one-minute bucket of event time and, where it has one, per
 * group (a currency, a step and reason, a product). Windows of any size are sums of buckets.
 */
export const metricNames = [
  /** Grouped by the country orders ship to. */
  'ORDERS_PLACED',
  'ORDERS_COMPLETED',
  /** Grouped by `<step>/<reason>`: where the saga stopped and why. */
  'ORDERS_FAILED',
  /** Captured minus refunded, in minor units, grouped by currency. */
  'REVENUE',
  /** From OrderCreated to a terminal status; a quantile sketch per bucket, grouped by outcome. */
  'SAGA_DURATION',
  /** Units ordered, grouped by SKU. */
  'PRODUCT_UNITS',
  /** Line totals ordered, in minor units, grouped by `<sku>/<currency>`. */
  'PRODUCT_REVENUE',
  /** Ingested clickstream, the first steps of the funnel. */
  'PAGE_VIEWS',
  /** Grouped by SKU. */
  'PRODUCT_VIEWS',
  /** Units added, grouped by SKU. */
  'ADDED_TO_CART',
  'CHECKOUTS_STARTED',
  /** Client measurements: their count and sum (so their mean), grouped by name. */
  'CLIENT_TELEMETRY',
] as const;

export type MetricName = (typeof metricNames)[number];

/** The width of a bucket: the finest grain a series can be asked in. */
export const BUCKET_MS = 60_000;
