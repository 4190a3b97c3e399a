import '@orderflow/auth/dist/node-version';
import { parseArgs } from 'node:util';
import { createClient, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { discoverSystem } from '../discover-system';
import { METRICS, metricsLine, WATCH, type MetricsSnapshot } from '../watch-view';
import { explainWatchEnd, TERMINAL_STATUSES, type WatchEnd } from '../watch-outcome';

const usage = `usage: npm run -s watch -- <orderId> [sinceVersion] [--follow]
       npm run -s watch -- --metrics [minutes]
  Prints the order's status changes after sinceVersion (by default its whole history), then
  each new one as it happens, through the gateway's graphql-ws subscriptions; it ends once the
  order is COMPLETED or CANCELLED, unless --follow. With --metrics (an admin's token), a line
  of the live figures over the last minutes (5 by default) at each update.
  TOKEN: the customer's (or an admin's) token (npm run -s token -- --sub alice [--admin])
  GATEWAY_URL: default, the gateway of the system npm start runs, else
  http://localhost:4000/graphql
  Exit codes: 0 the order ended; 1 no such order (or not yours), or the stream failed;
  2 a usage mistake, a refused token or no gateway.`;

const parse = () => {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { metrics: { type: 'boolean' }, follow: { type: 'boolean' } },
    });
    const [first, second, ...rest] = positionals;
    const count = (value: string | undefined) => value === undefined || /^\d+$/.test(value);
    const valid = values.metrics
      ? count(first) && second === undefined
      : first !== undefined && count(second) && rest.length === 0;
    return valid ? { ...values, first, second } : undefined;
  } catch {
    return undefined;
  }
};

const args = parse();
const token = process.env.TOKEN;
if (!token || args === undefined) {
  process.stderr.write(`${token ? '' : 'TOKEN is not set\n'}${usage}\n`);
  process.exit(2);
}

const discovery = discoverSystem();
const httpUrl = discovery.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
/** For the messages: where the gateway is, as the person may not know which one it reached. */
const where = {
  gateway: `${httpUrl} (${discovery.gatewaySource})`,
  ...(args.metrics || args.first === undefined ? {} : { orderId: args.first }),
};
const client = createClient({
  url: httpUrl.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
});

const end = ({ message, exitCode }: WatchEnd) => {
  process.stderr.write(`watch: ${message}\n`);
  void client.dispose();
  process.exit(exitCode);
};

const request = args.metrics
  ? {
      query: METRICS,
      variables: { window: { minutes: args.first === undefined ? 5 : Number(args.first) } },
    }
  : {
      query: WATCH,
      variables: { orderId: args.first, sinceVersion: Number(args.second ?? 0) },
    };

const onChange = (result: ExecutionResult) => {
  if (result.errors) return end(explainWatchEnd(result.errors, where));
  const data = result.data as
    { metricsUpdated?: MetricsSnapshot; orderStatusChanged?: { status?: string } } | undefined;
  const snapshot = data?.metricsUpdated;
  process.stdout.write(
    `${args.metrics && snapshot ? metricsLine(snapshot) : JSON.stringify(data)}\n`,
  );
  const status = data?.orderStatusChanged?.status;
  if (!args.follow && status !== undefined && TERMINAL_STATUSES.has(status)) {
    end({
      message: `order ${args.first} is ${status}, where it ends (--follow keeps watching)`,
      exitCode: 0,
    });
  }
};

client.subscribe(request, {
  next: onChange,
  error: (error) => end(explainWatchEnd(error, where)),
  complete: () => process.exit(0),
});
process.once('SIGINT', () => {
  void client.dispose();
  process.exit(0);
});
