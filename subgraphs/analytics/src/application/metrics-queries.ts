import { DomainError } from '@orderflow/contracts';
import { requireAdmin, type Viewer } from '@orderflow/runtime';
import { BUCKET_MS, metricNames, type MetricName } from '../domain/metric';
import { count, mergeSketches, quantile, type DurationSketch } from '../domain/quantiles';
import type { Aggregate, ConsumerLag, ConsumerLagSource, MetricsViews, SeriesPoint } from './ports';

export const DEFAULT_WINDOW_MINUTES = 5;
const MAX_WINDOW_MINUTES = 1_440;
const MAX_POINTS = 1_440;
const TOP_PRODUCTS = 10;

export const pointWidths = {
  MINUTE: BUCKET_MS,
  FIVE_MINUTES: 5 * BUCKET_MS,
  FIFTEEN_MINUTES: 15 * BUCKET_MS,
  HOUR: 60 * BUCKET_MS,
  DAY: 1_440 * BUCKET_MS,
} as const;
export type PointWidth = keyof typeof pointWidths;

export interface Quantiles {
  readonly count: number;
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
}

export const quantilesOf = (sketch: DurationSketch | undefined): Quantiles => ({
  count: sketch === undefined ? 0 : count(sketch),
  p50: sketch && quantile(sketch, 0.5),
  p95: sketch && quantile(sketch, 0.95),
  p99: sketch && quantile(sketch, 0.99),
});

export interface MetricsSnapshot {
  readonly from: number;
  readonly to: number;
  readonly minutes: number;
  readonly ordersPlaced: number;
  readonly ordersPerMinute: number;
  readonly ordersCompleted: number;
  readonly ordersFailed: number;
  readonly failureRate: number;
  readonly failures: readonly { step: string; reason: string; count: number }[];
  readonly revenue: readonly { currency: string; total: number; perMinute: number }[];
  readonly sagaDuration: Quantiles;
  /** Sagas cancelled in the window that had effects to undo, and their mean time to repair. */
  readonly repairs: { readonly count: number; readonly meanMs: number | undefined };
  readonly inFlight: readonly { status: string; count: number }[];
  readonly topProducts: readonly {
    sku: string;
    units: number;
    revenue: { amount: number; currency: string }[];
  }[];
  readonly consumerLag: readonly ConsumerLag[];
  readonly lateEvents: readonly { processor: string; late: number }[];
  /** Reported events refused: malformed items of ingestEvents, and messages on CLICKSTREAM. */
  readonly rejectedEvents: number;
  readonly funnel: {
    readonly pageViews: number;
    readonly productViews: number;
    readonly addedToCart: number;
    readonly checkoutsStarted: number;
    readonly ordersPlaced: number;
    readonly ordersCompleted: number;
  };
  readonly telemetry: readonly { name: string; count: number; mean: number }[];
  readonly watermark: number | undefined;
}

export interface SeriesQuery {
  readonly metric: string;
  readonly from: string;
  readonly to: string;
  readonly bucket?: string | null | undefined;
  readonly groupBy?: boolean | null | undefined;
  readonly group?: string | null | undefined;
  /** Points per sliding window: each point sums the `window` buckets that end with it. */
  readonly window?: number | null | undefined;
}

export interface MetricPoint extends Quantiles {
  readonly bucket: number;
  readonly group: string | null;
  readonly sum: number;
}

/** The one window the API speaks of: the last N minutes of event time, N within bounds. */
export const windowMinutes = (window: { minutes?: number | null } | null | undefined): number => {
  const minutes = window?.minutes ?? DEFAULT_WINDOW_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_WINDOW_MINUTES) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `window.minutes must be a whole number from 1 to ${MAX_WINDOW_MINUTES}, not ${minutes}`,
    );
  }
  return minutes;
};

const timeOf = (name: string, value: string): number => {
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `${name} must be an ISO 8601 time such as 2026-01-01T00:00:00Z, not ${JSON.stringify(value)}`,
    );
  }
  return at;
};

const MAX_SLIDING_WINDOW = 1_440;

const combine = (a: SeriesPoint | undefined, b: SeriesPoint): SeriesPoint => ({
  bucket: b.bucket,
  group: b.group,
  count: (a?.count ?? 0) + b.count,
  sum: (a?.sum ?? 0) + b.sum,
  sketch:
    a?.sketch === undefined || b.sketch === undefined
      ? (a?.sketch ?? b.sketch)
      : mergeSketches(a.sketch, b.sketch),
});

/**
 * A sliding window over tumbling points: the point at each start in [from, to) sums, per group,
 * the `size` points that end with it.
 */
const slide = (
  points: readonly SeriesPoint[],
  size: number,
  { from, to, pointMs }: { from: number; to: number; pointMs: number },
): SeriesPoint[] => {
  const slid: SeriesPoint[] = [];
  const groups = [...new Set(points.map((point) => point.group))].sort();
  for (let bucket = from; bucket < to; bucket += pointMs) {
    const opens = bucket - (size - 1) * pointMs;
    for (const group of groups) {
      const inside = points.filter(
        (p) => p.group === group && p.bucket >= opens && p.bucket <= bucket,
      );
      if (inside.length === 0) continue;
      slid.push({ ...inside.reduce<SeriesPoint | undefined>(combine, undefined)!, bucket });
    }
  }
  return slid;
};

const totals = (points: readonly Aggregate[]) =>
  points.reduce((sum, point) => sum + point.count, 0);

/** Reads the figures, for admins only; every input is checked before anything is read. */
export const metricsQueries = (
  views: MetricsViews,
  lag: ConsumerLagSource,
  refusedIngestions: () => number = () => 0,
) => {
  const snapshot = async (minutes: number, now: number): Promise<MetricsSnapshot> => {
    const to = now - (now % BUCKET_MS) + BUCKET_MS;
    const from = to - minutes * BUCKET_MS;
    const span = { from, to, pointMs: to - from };
    const [placed, completed, failed, revenue, durations, units, productRevenue, ...funnel] =
      await Promise.all([
        views.series('ORDERS_PLACED', { ...span, byGroup: false }),
        views.series('ORDERS_COMPLETED', { ...span, byGroup: false }),
        views.series('ORDERS_FAILED', { ...span, byGroup: true }),
        views.series('REVENUE', { ...span, byGroup: true }),
        views.series('SAGA_DURATION', { ...span, byGroup: false }),
        views.series('PRODUCT_UNITS', { ...span, byGroup: true }),
        views.series('PRODUCT_REVENUE', { ...span, byGroup: true }),
        views.series('PAGE_VIEWS', { ...span, byGroup: false }),
        views.series('PRODUCT_VIEWS', { ...span, byGroup: false }),
        views.series('ADDED_TO_CART', { ...span, byGroup: false }),
        views.series('CHECKOUTS_STARTED', { ...span, byGroup: false }),
        views.series('CLIENT_TELEMETRY', { ...span, byGroup: true }),
      ]);
    const [pageViews = [], productViews = [], addedToCart = [], checkouts = [], telemetry = []] =
      funnel;
    const [inFlight, processors, consumerLag, repairTimes] = await Promise.all([
      views.inFlight(),
      views.processors(),
      lag.read(now),
      views.repairTimes(from, to),
    ]);
    const ordersCompleted = totals(completed);
    const ordersFailed = totals(failed);
    const ended = ordersCompleted + ordersFailed;
    const revenueOf = (sku: string) =>
      productRevenue
        .filter((point) => point.group.startsWith(`${sku}/`))
        .map((point) => ({ amount: point.sum, currency: point.group.slice(sku.length + 1) }));
    const seen = processors.flatMap((p) => (p.maxEventTime === undefined ? [] : [p.maxEventTime]));
    return {
      from,
      to,
      minutes,
      ordersPlaced: totals(placed),
      ordersPerMinute: totals(placed) / minutes,
      ordersCompleted,
      ordersFailed,
      failureRate: ended === 0 ? 0 : ordersFailed / ended,
      failures: failed.map((point) => {
        const [step = '', reason = ''] = point.group.split('/');
        return { step, reason, count: point.count };
      }),
      revenue: revenue.map((point) => ({
        currency: point.group,
        total: point.sum,
        perMinute: point.sum / minutes,
      })),
      sagaDuration: quantilesOf(durations[0]?.sketch),
      repairs: {
        count: repairTimes.length,
        meanMs:
          repairTimes.length === 0
            ? undefined
            : repairTimes.reduce((sum, ms) => sum + ms, 0) / repairTimes.length,
      },
      inFlight: [...inFlight].map(([status, count]) => ({ status, count })),
      topProducts: [...units]
        .sort((a, b) => b.sum - a.sum || a.group.localeCompare(b.group))
        .slice(0, TOP_PRODUCTS)
        .map((point) => ({ sku: point.group, units: point.sum, revenue: revenueOf(point.group) })),
      consumerLag,
      lateEvents: processors.map(({ processor, late }) => ({ processor, late })),
      rejectedEvents:
        refusedIngestions() + processors.reduce((sum, { rejected }) => sum + rejected, 0),
      funnel: {
        pageViews: totals(pageViews),
        productViews: totals(productViews),
        addedToCart: totals(addedToCart),
        checkoutsStarted: totals(checkouts),
        ordersPlaced: totals(placed),
        ordersCompleted,
      },
      telemetry: telemetry.map((point) => ({
        name: point.group,
        count: point.count,
        mean: point.count === 0 ? 0 : point.sum / point.count,
      })),
      watermark: seen.length === 0 ? undefined : Math.max(...seen),
    };
  };

  return {
    snapshot: (
      window: { minutes?: number | null } | null | undefined,
      viewer: Viewer,
      now: number,
    ) => {
      requireAdmin(viewer, 'metrics');
      return snapshot(windowMinutes(window), now);
    },
    /** The snapshot without the admin check, for a subscription that made it when it began. */
    snapshotFor: snapshot,
    series: async (query: SeriesQuery, viewer: Viewer): Promise<MetricPoint[]> => {
      requireAdmin(viewer, 'metricSeries');
      if (!(metricNames as readonly string[]).includes(query.metric)) {
        throw new DomainError('BAD_USER_INPUT', `unknown metric ${query.metric}`);
      }
      const pointMs = pointWidths[(query.bucket ?? 'MINUTE') as PointWidth];
      if (pointMs === undefined) {
        throw new DomainError('BAD_USER_INPUT', `unknown bucket ${query.bucket}`);
      }
      // Points start on whole multiples of their width (UTC), whatever `from` is.
      const from = timeOf('from', query.from);
      const to = timeOf('to', query.to);
      if (to <= from) throw new DomainError('BAD_USER_INPUT', '`to` must be after `from`');
      const start = from - (from % pointMs);
      if (Math.ceil((to - start) / pointMs) > MAX_POINTS) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `at most ${MAX_POINTS} points per query: widen the bucket or narrow the range`,
        );
      }
      const size = query.window ?? 1;
      if (!Number.isInteger(size) || size < 1 || size > MAX_SLIDING_WINDOW) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `window must be a whole number of points from 1 to ${MAX_SLIDING_WINDOW}, not ${size}`,
        );
      }
      const tumbling: SeriesPoint[] = await views.series(query.metric as MetricName, {
        from: start - (size - 1) * pointMs,
        to,
        pointMs,
        byGroup: query.groupBy ?? false,
        group: query.group ?? undefined,
      });
      const points = size === 1 ? tumbling : slide(tumbling, size, { from: start, to, pointMs });
      return points.map((point) => ({
        bucket: point.bucket,
        group: query.groupBy || query.group ? point.group : null,
        sum: point.sum,
        ...quantilesOf(point.sketch),
        count: point.count,
      }));
    },
  };
};

export type MetricsQueries = ReturnType<typeof metricsQueries>;
