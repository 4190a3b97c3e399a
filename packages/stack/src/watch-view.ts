/** What `npm run watch -- <orderId>` asks the gateway for: each status change, with its joins. */
export const WATCH = `subscription ($orderId: ID!, $sinceVersion: Int) {
  orderStatusChanged(orderId: $orderId, sinceVersion: $sinceVersion) {
    version status at cause { type } reason detail
    order { payment { status } shipment { trackingNumber } }
  }
}`;

/** What `npm run watch -- --metrics` asks for: the figures an operator scans. */
export const METRICS = `subscription ($window: MetricsWindow) {
  metricsUpdated(window: $window) {
    ordersPerMinute ordersCompleted ordersFailed failureRate
    revenue { currency perMinute } sagaDuration { p50 p95 p99 }
    inFlight { count } repairs { meanMs } lateEvents { late } watermark
  }
}`;

export interface MetricsSnapshot {
  ordersPerMinute: number;
  ordersCompleted: number;
  ordersFailed: number;
  failureRate: number;
  revenue: { currency: string; perMinute: number }[];
  sagaDuration: { p50: number | null; p95: number | null; p99: number | null };
  inFlight: { count: number }[];
  repairs: { meanMs: number | null };
  lateEvents: { late: number }[];
  watermark: string | null;
}

const ms = (value: number | null) => (value === null ? '-' : `${Math.round(value)}ms`);
const sum = (counts: { count?: number; late?: number }[]) =>
  counts.reduce((total, c) => total + (c.count ?? c.late ?? 0), 0);

/** One line per update: what an operator scans for. */
export const metricsLine = (s: MetricsSnapshot, now = new Date()) =>
  [
    now.toISOString().slice(11, 19),
    `orders/min ${s.ordersPerMinute.toFixed(1)}`,
    `completed ${s.ordersCompleted}`,
    `failed ${s.ordersFailed} (${(s.failureRate * 100).toFixed(1)}%)`,
    `revenue/min ${s.revenue.map((r) => `${(r.perMinute / 100).toFixed(2)} ${r.currency}`).join(', ') || '0'}`,
    `saga p50/p95/p99 ${ms(s.sagaDuration.p50)}/${ms(s.sagaDuration.p95)}/${ms(s.sagaDuration.p99)}`,
    `in flight ${sum(s.inFlight)}`,
    `repair ${ms(s.repairs.meanMs)}`,
    `late ${sum(s.lateEvents)}`,
  ].join('  ');
