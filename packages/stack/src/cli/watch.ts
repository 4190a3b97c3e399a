import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const usage = `usage: npm run -s watch -- <orderId> [sinceVersion]
  Prints each status change of the order as it happens, through the gateway's graphql-ws
  subscriptions; with sinceVersion (0 for all), the changes after it first.
  TOKEN: the customer's (or an admin's) token (npm run -s token -- --sub alice)
  GATEWAY_URL: default http://localhost:4000/graphql`;

const WATCH = `subscription ($orderId: ID!, $sinceVersion: Int) {
  orderStatusChanged(orderId: $orderId, sinceVersion: $sinceVersion) {
    version status at cause { type } reason detail
    order { payment { status } shipment { trackingNumber } }
  }
}`;

const [orderId, since] = process.argv.slice(2);
const token = process.env.TOKEN;
if (!orderId || !token || (since !== undefined && !/^\d+$/.test(since))) {
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
client.subscribe(
  {
    query: WATCH,
    variables: { orderId, sinceVersion: since === undefined ? null : Number(since) },
  },
  {
    next: (result) => process.stdout.write(`${JSON.stringify(result.data ?? result.errors)}\n`),
    error: (error) => {
      process.stderr.write(
        `watch: ${error instanceof Error ? error.message : JSON.stringify(error)}\n`,
      );
      process.exit(1);
    },
    complete: () => process.exit(0),
  },
);
process.once('SIGINT', () => {
  void client.dispose();
  process.exit(0);
});
