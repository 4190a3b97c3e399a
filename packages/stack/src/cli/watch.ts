import '@orderflow/auth/dist/node-version';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const usage = `usage: npm run -s watch -- <orderId> [sinceVersion]
       npm run -s watch -- --metrics [minutes]
  Prints each status change of the order as it happens, through the gateway's graphql-ws
  subscriptions; with sinceVersion (0 for all), the changes after it first. With --metrics
  (an admin's token), a line of the live figures over the last minutes (5 by default) at each
  update.
  TOKEN: the customer's (or an admin's) token (npm run -s token -- --sub alice [--admin])
  GATEWAY_URL: default http://localhost:4000/graphql`;

const WATCH = `subscription ($orderId: ID!, $sinceVersion: Int) {
  orderStatusChanged(orderId: $orderId, sinceVersion: $sinceVersion) {
    version status at cause { type } reason detail
    order { payment { status } shipment { trackingNumber } }
  }
}`;

const METRICS = `subscription ($window: MetricsWindow) {
  metricsUpdated(window: $window) {
    ordersPerMinute ordersCompleted ordersFailed failureRate
    revenue { currency perMinute } sagaDuration { p50 p95 p99 }
    inFlight { count } repairs { meanMs } lateEvents { late } watermark
  }
}`;

interface Snapshot {
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
const line = (s: Snapshot) =>
  [
    `${new Date().toISOString().slice(11, 19)}`,
    `orders/min ${s.ordersPerMinute.toFixed(1)}`,
    `completed ${s.ordersCompleted}`,
    `failed ${s.ordersFailed} (${(s.failureRate * 100).toFixed(1)}%)`,
    `revenue/min ${s.revenue.map((r) => `${(r.perMinute / 100).toFixed(2)} ${r.currency}`).join(', ') || '0'}`,
    `saga p50/p95/p99 ${ms(s.sagaDuration.p50)}/${ms(s.sagaDuration.p95)}/${ms(s.sagaDuration.p99)}`,
    `in flight ${sum(s.inFlight)}`,
    `repair ${ms(s.repairs.meanMs)}`,
    `late ${sum(s.lateEvents)}`,
  ].join('  ');

const args = process.argv.slice(2);
const metrics = args[0] === '--metrics';
const [first, second] = metrics ? args.slice(1) : args;
const token = process.env.TOKEN;
const valid = metrics
  ? first === undefined || /^\d+$/.test(first)
  : first !== undefined && (second === undefined || /^\d+$/.test(second));
if (!token || !valid) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}

const url = (process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql').replace(/^http/, 'ws');
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
});
const request = metrics
  ? { query: METRICS, variables: { window: { minutes: first === undefined ? 5 : Number(first) } } }
  : {
      query: WATCH,
      variables: { orderId: first, sinceVersion: second === undefined ? null : Number(second) },
    };
client.subscribe(request, {
  next: (result) => {
    const snapshot = (result.data as { metricsUpdated?: Snapshot } | undefined)?.metricsUpdated;
    const text =
      metrics && snapshot ? line(snapshot) : JSON.stringify(result.data ?? result.errors);
    process.stdout.write(`${text}\n`);
  },
  error: (error) => {
    process.stderr.write(
      `watch: ${error instanceof Error ? error.message : JSON.stringify(error)}\n`,
    );
    process.exit(1);
  },
  complete: () => process.exit(0),
});
process.once('SIGINT', () => {
  void client.dispose();
  process.exit(0);
});
