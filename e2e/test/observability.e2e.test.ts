import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectSubscriptions, developmentToken, seedDemoCatalog, waitFor } from '@orderflow/stack';
import { orderInput, orderReaching } from './support/orderflow';
import { familiesOf, scrape, sumOf } from './support/prometheus';
import { startTestSystem, type TestSystem } from './support/system';

/** One span as OTLP/HTTP JSON carries it, with the service that sent it. */
interface CollectedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
}

interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: Omit<CollectedSpan, 'service'>[] }[];
  }[];
}

/** A local OTLP/HTTP receiver: what every process of the system exports lands here. */
const startCollector = async () => {
  const spans: CollectedSpan[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const { resource, scopeSpans } of body.resourceSpans ?? []) {
        const service =
          resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const scope of scopeSpans ?? []) {
          for (const span of scope.spans ?? []) spans.push({ ...span, service });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe('observability: one trace per order, metrics from every process', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let running: TestSystem;

  beforeAll(async () => {
    collector = await startCollector();
    running = await startTestSystem({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      // Export within a fraction of a second instead of the default five.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await seedDemoCatalog(
      running.system.gatewayUrl,
      developmentToken('e2e-admin', { admin: true }),
    );
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await collector?.stop();
  });

  it('follows a placed order from the gateway through order, inventory, payment and shipping', async () => {
    const placed = await running.customer.placeOrder(orderInput([{ sku: 'KB-001', quantity: 1 }]));
    await orderReaching(running.customer, placed.id, 'SHIPPED');

    const placing = () => collector.spans.find((span) => span.name === 'Mutation.placeOrder');
    const trace = () => collector.spans.filter((span) => span.traceId === placing()?.traceId);
    const named = (name: string) => trace().find((span) => span.name === name);
    const services = ['gateway', 'order', 'inventory', 'payment', 'shipping'].map(
      (service) => `orderflow-${service}`,
    );
    /** Spans whose parent is not in the trace (yet): only the gateway's request, in the end. */
    const roots = () => {
      const ids = new Set(trace().map((span) => span.spanId));
      return trace().filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
    };
    // Each process exports on its own schedule: wait for all of them.
    await waitFor('every service’s spans of the order’s saga to be exported', async () => {
      const exported = new Set(trace().map((span) => span.service));
      return (
        services.every((service) => exported.has(service)) &&
        Boolean(named('shipping-saga handles OrderPaymentCaptured')) &&
        roots().length === 1
      );
    });

    // One tree: every span but the gateway's request hangs from a span of the same trace.
    const byId = new Map(trace().map((span) => [span.spanId, span]));
    expect(roots().map((span) => [span.service, span.name])).toEqual([
      ['orderflow-gateway', 'POST /graphql'],
    ]);
    // In causal order: each step's handler descends from the one before it.
    const ancestry = (span: CollectedSpan | undefined): string[] => {
      const names: string[] = [];
      for (let at = span; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) {
        names.push(at.name);
      }
      return names;
    };
    const shipping = ancestry(named('shipping-saga handles OrderPaymentCaptured'));
    const steps = [
      'shipping-saga handles OrderPaymentCaptured',
      'order-payment handles PaymentCaptured',
      'payment-saga handles OrderInventoryReserved',
      'order-saga handles InventoryReserved',
      'inventory-saga handles OrderCreated',
      'Mutation.placeOrder',
      'POST /graphql',
    ];
    expect(shipping.filter((name) => steps.includes(name))).toEqual(expect.arrayContaining(steps));
    expect(steps.map((step) => shipping.indexOf(step))).toEqual(
      [...steps.map((step) => shipping.indexOf(step))].sort((a, b) => a - b),
    );
    // The event store's appends and the read models' queries are in it too.
    expect(trace().some((span) => span.name.startsWith('append '))).toBe(true);
    expect(trace().some((span) => /^(get|getMany|find|count|commit) /.test(span.name))).toBe(true);
  });

  const serviceUrl = (name: string) => running.system.services[name]!.url;

  it('exposes the figures of every process on /metrics, and they move as orders flow', async () => {
    const everywhere = ['orderflow_graphql_request_seconds', 'process_cpu_user_seconds_total'];
    const subgraphs = [
      'orderflow_graphql_resolver_seconds',
      'orderflow_events_appended_total',
      'orderflow_event_store_conflicts_total',
    ];
    const consumers = [
      'orderflow_consumer_handler_seconds',
      'orderflow_consumer_redeliveries_total',
      'orderflow_dead_letters_total',
      'orderflow_consumer_pending',
      'orderflow_consumer_ack_pending',
    ];
    const expected: Record<string, string[]> = {
      gateway: [
        ...everywhere,
        'orderflow_gateway_subscriptions',
        'orderflow_gateway_subscription_backlog',
      ],
      order: [...everywhere, ...subgraphs, ...consumers, 'orderflow_saga_outcomes_total'],
      inventory: [...everywhere, ...subgraphs, ...consumers],
      payment: [...everywhere, ...subgraphs, ...consumers],
      shipping: [...everywhere, ...subgraphs, ...consumers],
      analytics: [...everywhere, ...subgraphs],
    };
    const urlOf = (name: string) =>
      name === 'gateway' ? running.system.gatewayUrl : serviceUrl(name);
    for (const [name, families] of Object.entries(expected)) {
      const declared = familiesOf(await scrape(urlOf(name)));
      expect([name, families.filter((family) => !declared.has(family))]).toEqual([name, []]);
    }

    const before = {
      requests: sumOf(
        await scrape(running.system.gatewayUrl),
        'orderflow_graphql_request_seconds_count',
      ),
      outOfStock: sumOf(await scrape(serviceUrl('order')), 'orderflow_saga_outcomes_total', {
        reason: 'OUT_OF_STOCK',
      }),
    };
    // The demo webcam has no stock: its order is cancelled OUT_OF_STOCK.
    const placed = await running.customer.placeOrder(orderInput([{ sku: 'WC-006', quantity: 1 }]));
    await orderReaching(running.customer, placed.id, 'CANCELLED');
    await waitFor('the cancellation to be counted', async () => {
      const order = await scrape(serviceUrl('order'));
      return (
        sumOf(order, 'orderflow_saga_outcomes_total', { reason: 'OUT_OF_STOCK' }) ===
        before.outOfStock + 1
      );
    });
    const gateway = await scrape(running.system.gatewayUrl);
    expect(sumOf(gateway, 'orderflow_graphql_request_seconds_count')).toBeGreaterThan(
      before.requests,
    );
    const inventory = await scrape(serviceUrl('inventory'));
    expect(
      sumOf(inventory, 'orderflow_consumer_handler_seconds_count', {
        durable: 'inventory-saga',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(0);
    expect(
      sumOf(inventory, 'orderflow_events_appended_total', { type: 'InventoryFailed' }),
    ).toBeGreaterThan(0);
    expect(inventory).toMatch(/^orderflow_consumer_pending\{durable="inventory-saga"\} \d+$/m);

    // A subscription held open is counted by the gateway, and no longer once it is closed.
    const connection = connectSubscriptions(running.system.gatewayUrl, {
      authorization: `Bearer ${developmentToken('alice')}`,
    });
    connection.subscribe('subscription { orderStatusChanged { status } }');
    const open = async () =>
      sumOf(await scrape(running.system.gatewayUrl), 'orderflow_gateway_subscriptions');
    await waitFor('the gateway to count the subscription', async () => (await open()) === 1);
    await connection.close();
    await waitFor('the gateway to count it closed', async () => (await open()) === 0);
  });
});
