import {
  catalog,
  streams,
  subjectOf,
  type Envelope,
  type EventData,
  type EventType,
} from '@orderflow/contracts';
import {
  connectNats,
  ensureStream,
  JetStreamEventStore,
  randomId,
  startServiceAgainst,
  type Nats,
  type RunningService,
} from '@orderflow/runtime';
import { startTestInfra, waitFor } from '@orderflow/stack';
import { CATALOG } from '../src/adapters/read-models/catalog-projection';
import { orderService } from '../src/service';

/** Any event another service would put on the bus, as a test stands in for that service. */
export type ForeignEvent = Exclude<EventType, `Order${string}`>;

export const foreignEvent = <T extends ForeignEvent>(
  type: T,
  aggregateId: string,
  data: EventData<T>,
  aggregateVersion = 1,
): Envelope =>
  ({
    id: randomId(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId,
    aggregateVersion,
    correlationId: 'test',
    causationId: 'test',
    data,
  }) as Envelope;

export const address = {
  name: 'Alice Doe',
  line1: '1 Main St',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

export const orderInput = (changes: Record<string, unknown> = {}) => ({
  lines: [
    { sku: 'KB-001', quantity: 2 },
    { sku: 'MS-002', quantity: 1 },
  ],
  paymentMethod: 'pm_card_visa',
  shippingAddress: address,
  ...changes,
});

/** The order service on real servers, with the catalog inventory would have published. */
export interface OrderHarness {
  readonly nats: Nats;
  /** The running service; replaced by restart(). */
  readonly service: RunningService;
  /** Puts another service's event on its stream, as that service would. */
  publish(event: Envelope): Promise<void>;
  /** Stops the service, waits for `meanwhile`, and starts it again on the same servers. */
  restart(meanwhile?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export const startOrderHarness = async (
  env: Record<string, string> = {},
): Promise<OrderHarness> => {
  const infra = await startTestInfra();
  const nats = await connectNats(infra.nats.access(), 'order-test');
  for (const stream of Object.values(streams)) await ensureStream(nats.jsm, stream);
  const stores = new Map<string, JetStreamEventStore>();
  const publish = async (event: Envelope) => {
    const stream = streams[catalog[event.type].context];
    const store = stores.get(stream.name) ?? new JetStreamEventStore(nats, stream.name);
    stores.set(stream.name, store);
    const subject = subjectOf(event.type, event.aggregateId);
    await store.append(subject, [event], await store.lastSequence(subject));
  };
  for (const [sku, name, amount] of [
    ['KB-001', 'Mechanical keyboard', 8900],
    ['MS-002', 'Wireless mouse', 2900],
  ] as const) {
    await publish(
      foreignEvent('ProductUpserted', sku, { sku, name, price: { amount, currency: 'USD' } }),
    );
  }
  const start = async () => {
    const started = await startServiceAgainst(
      orderService,
      { natsUrl: infra.nats.url, dataDir: infra.dir },
      env,
    );
    await waitFor('the catalog projection to hold both products', async () => {
      return (await started.infrastructure.documents.collection(CATALOG).count()) === 2;
    });
    return started;
  };
  let service = await start();
  return {
    nats,
    get service() {
      return service;
    },
    publish,
    restart: async (meanwhile) => {
      await service.stop();
      await meanwhile?.();
      service = await start();
    },
    stop: async () => {
      await service.stop();
      await nats.connection.close();
      await infra.stop();
    },
  };
};
