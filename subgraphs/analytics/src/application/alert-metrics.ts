import type { MetricsSnapshot } from './metrics-queries';

/**
 * What an alert rule may watch: one number read off the snapshot of the rule's window. Undefined
 * when the window holds nothing to measure (no saga ended, so no duration): no observation.
 */
export const alertMetrics = {
  ORDERS_PER_MINUTE: (s) => s.ordersPerMinute,
  FAILURE_RATE: (s) => (s.ordersCompleted + s.ordersFailed === 0 ? undefined : s.failureRate),
  ORDERS_FAILED: (s) => s.ordersFailed,
  SAGA_DURATION_P50_MS: (s) => s.sagaDuration.p50,
  SAGA_DURATION_P95_MS: (s) => s.sagaDuration.p95,
  SAGA_DURATION_P99_MS: (s) => s.sagaDuration.p99,
  SAGAS_IN_FLIGHT: (s) => s.inFlight.reduce((sum, { count }) => sum + count, 0),
  CONSUMER_PENDING_MAX: (s) => Math.max(0, ...s.consumerLag.map(({ pending }) => pending)),
  CONSUMER_LAG_MAX_MS: (s) => Math.max(0, ...s.consumerLag.map(({ lagMs }) => lagMs)),
  LATE_EVENTS: (s) => s.lateEvents.reduce((sum, { late }) => sum + late, 0),
  MEAN_TIME_TO_REPAIR_MS: (s) => s.repairs.meanMs,
} as const satisfies Record<string, (snapshot: MetricsSnapshot) => number | undefined>;

export type AlertMetric = keyof typeof alertMetrics;

export const isAlertMetric = (name: string): name is AlertMetric =>
  Object.hasOwn(alertMetrics, name);
