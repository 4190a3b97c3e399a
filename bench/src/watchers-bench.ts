/**
 * bench:watchers — what customers watching their orders cost the bus: each holds an
 * `orderStatusChanged` subscription to every order of theirs, through the gateway, while orders
 * are placed; per number of watchers, the consumers on ORDER and the messages nats-server sends
 * per order.
 * Usage: npm run bench:watchers -- [--watchers 0,20,100] [--orders 100]
 */
import '@orderflow/auth/dist/node-version';
import { graphqlData } from '@orderflow/stack';
import { createClient, type Client } from 'graphql-ws';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { listOf, parseFlags, wholeNumber } from './args';
import {
  benchSkus,
  machineLine,
  orderInput,
  progress,
  seedCatalog,
  startBenchSystem,
  systemFlags,
  systemOptions,
  type BenchSystem,
} from './bench-system';
import { runScript } from './lifecycle';
import { count, figure, renderTable } from './stats';

const FLAGS = {
  ...systemFlags(),
  watchers: { description: 'customers watching, one run each', default: '0,20,100' },
  orders: {
    description: 'orders placed one after another, by the watchers in turn',
    default: '100',
  },
};

const WATCH_MINE = `subscription { orderStatusChanged { orderId status } }`;
const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
/** Each order's statuses up to COMPLETED: CREATED, INVENTORY_RESERVED, ..., five in all. */
const STATUSES_PER_ORDER = 5;

interface Run {
  readonly watchers: number;
  readonly consumers: number;
  readonly received: number;
  readonly expected: number;
  readonly outPerOrder: number;
}

const natsFigures = async (bench: BenchSystem) => {
  const monitor = `http://127.0.0.1:${bench.system.natsNodes[0]!.monitorPort}`;
  const varz = (await (await fetch(`${monitor}/varz`)).json()) as { out_msgs: number };
  const jsz = (await (await fetch(`${monitor}/jsz?streams=true`)).json()) as {
    account_details: { stream_detail: { name: string; state: { consumer_count: number } }[] }[];
  };
  const order = jsz.account_details[0]?.stream_detail.find((stream) => stream.name === 'ORDER');
  return { outMsgs: varz.out_msgs, consumers: order?.state.consumer_count ?? 0 };
};

const measure = async (
  flags: Parameters<typeof systemOptions>[1],
  watchers: number,
  orders: number,
): Promise<Run> => {
  const bench = await startBenchSystem(systemOptions('watchers', flags));
  if (bench === undefined) throw new Error('interrupted');
  const clients: Client[] = [];
  try {
    const skus = benchSkus(5);
    await seedCatalog(bench, skus, orders * 4);
    let received = 0;
    for (let i = 0; i < watchers; i++) {
      const client = createClient({
        url: bench.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: bench.customerHeaders(i),
      });
      clients.push(client);
      client.subscribe(
        { query: WATCH_MINE },
        { next: () => void received++, error: () => undefined, complete: () => undefined },
      );
    }
    // Every watcher live upstream before the first order: the order service counts them.
    const deadline = Date.now() + 30_000;
    while ((await liveFollowers(bench)) < watchers && Date.now() < deadline) await sleep(50);
    const before = await natsFigures(bench);
    for (let n = 0; n < orders; n++) {
      const customer = watchers === 0 ? n : n % watchers;
      await graphqlData(
        bench.gatewayUrl,
        PLACE_ORDER,
        { input: orderInput(n, skus) },
        bench.customerHeaders(customer),
      );
    }
    const expected = watchers === 0 ? 0 : orders * STATUSES_PER_ORDER;
    const settled = Date.now() + 30_000;
    while (received < expected && Date.now() < settled) await sleep(50);
    await sleep(500);
    const after = await natsFigures(bench);
    return {
      watchers,
      consumers: before.consumers,
      received,
      expected,
      outPerOrder: (after.outMsgs - before.outMsgs) / orders,
    };
  } finally {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await bench.system.stop();
  }
};

/** Subscriptions following every order on the order service (`orderflow_live_followers`). */
const liveFollowers = async (bench: BenchSystem): Promise<number> => {
  const order = bench.system.services.order!.url.replace(/\/graphql$/, '/metrics');
  const text = await (await fetch(order)).text();
  const sample = /^orderflow_live_followers\{filter="order\.events\.order\.\*"\} (\S+)$/m;
  return Number(sample.exec(text)?.[1] ?? 0);
};

const main = async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    FLAGS,
    'usage: npm run bench:watchers -- [flags]',
  );
  const counts = listOf(flags.watchers, (part) => wholeNumber('watchers', part, 0));
  const orders = wholeNumber('orders', flags.orders);
  progress(
    `bench:watchers: ${counts.join(', ')} watchers, ${orders} orders each; ${machineLine()}`,
  );
  const runs: Run[] = [];
  for (const watchers of counts) runs.push(await measure(flags, watchers, orders));
  console.log(
    [
      `Customers each watching every order of theirs (orderStatusChanged with no orderId) through the gateway, while ${count(orders)} orders are placed one after another by them in turn; ${machineLine()}.`,
      'Per run, on a fresh system: consumers on ORDER with every watcher live, the status changes the watchers received, and the messages nats-server sent per order.',
      '',
      renderTable(
        ['watchers', 'ORDER consumers', 'status changes received', 'NATS messages out per order'],
        runs.map((run) => [
          count(run.watchers),
          count(run.consumers),
          `${count(run.received)} of ${count(run.expected)}`,
          figure(run.outPerOrder),
        ]),
      ),
    ].join('\n'),
  );
};

runScript(main);
