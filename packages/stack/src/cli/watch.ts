import '@orderflow/auth/dist/node-version';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { METRICS, metricsLine, WATCH, type MetricsSnapshot } from '../watch-view';

const usage = `usage: npm run -s watch -- <orderId> [sinceVersion]
       npm run -s watch -- --metrics [minutes]
  Prints each status change of the order as it happens, through the gateway's graphql-ws
  subscriptions; with sinceVersion (0 for all), the changes after it first. With --metrics
  (an admin's token), a line of the live figures over the last minutes (5 by default) at each
  update.
  TOKEN: the customer's (or an admin's) token (npm run -s token -- --sub alice [--admin])
  GATEWAY_URL: default http://localhost:4000/graphql`;

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
    const snapshot = (result.data as { metricsUpdated?: MetricsSnapshot } | undefined)
      ?.metricsUpdated;
    const text =
      metrics && snapshot ? metricsLine(snapshot) : JSON.stringify(result.data ?? result.errors);
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
