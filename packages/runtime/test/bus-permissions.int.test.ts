import { AckPolicy } from '@nats-io/jetstream';
import {
  busUsers,
  deadLetterStream,
  streams,
  subjectOf,
  type BusUser,
  type Context,
} from '@orderflow/contracts';
import { natsUsers, startNatsServer, type NatsServer } from '@orderflow/stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats, ensureStream, randomId, type Nats } from '../src';
import { stockAdjusted } from './harness';

const contexts = Object.keys(streams) as Context[];
const services = contexts;

/** Each context's event of one aggregate, to append where it belongs and where it does not. */
const eventSubject: Record<Context, string> = {
  inventory: subjectOf('StockAdjusted', 'SKU-P'),
  order: subjectOf('OrderCreated', 'order-p'),
  payment: subjectOf('PaymentCaptured', 'order-p'),
  shipping: subjectOf('ShipmentDispatched', 'order-p'),
};

/** The bus answers a forbidden request with a permission error at once. */
const refused = async (attempt: Promise<unknown>) => {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeDefined();
  expect(String(error?.message)).toMatch(/permission/i);
};

describe('the bus with a user per service: each may do what its context needs, and no more', () => {
  let dir: string;
  let server: NatsServer;
  const connections = new Map<string, Nats>();
  const as = (user: string) => connections.get(user)!;
  const messagesIn = async (stream: string) =>
    (await as('admin').jsm.streams.info(stream)).state.messages;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orderflow-bus-'));
    const passwords = Object.fromEntries(natsUsers().map(({ user }) => [user, randomId()]));
    server = await startNatsServer({ storeDir: join(dir, 'nats'), passwords });
    for (const user of Object.keys(passwords)) {
      connections.set(user, await connectNats(server.access(user), `test-${user}`));
    }
    // Each service creates its own stream and the dead-letter stream, as it does at start.
    for (const service of services) {
      await ensureStream(as(service).jsm, streams[service]);
      await ensureStream(as(service).jsm, deadLetterStream);
    }
    for (const [user, access] of Object.entries(busUsers)) {
      for (const { stream, name } of access.durables) {
        await as(user).jsm.consumers.add(streams[stream].name, {
          durable_name: name,
          ack_policy: AckPolicy.Explicit,
        });
      }
    }
  });

  afterAll(async () => {
    for (const nats of connections.values()) await nats.connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a connection without a user or with a wrong password', async () => {
    await expect(connectNats({ NATS_URL: server.url }, 'anonymous')).rejects.toThrow(/authoriz/i);
    await expect(
      connectNats({ ...server.access('payment'), NATS_PASSWORD: 'guess' }, 'guesser'),
    ).rejects.toThrow(/authoriz/i);
  });

  it.each(services)('lets %s append to its own stream', async (service) => {
    const before = await messagesIn(streams[service].name);
    const event = { ...stockAdjusted('SKU-P'), id: randomId() };
    await as(service).js.publish(eventSubject[service], JSON.stringify(event));
    expect(await messagesIn(streams[service].name)).toBe(before + 1);
  });

  it.each(
    services.flatMap((service) => contexts.filter((c) => c !== service).map((c) => [service, c])),
  )('refuses %s an append to the %s stream, which stays as it was', async (service, context) => {
    const before = await messagesIn(streams[context].name);
    await refused(as(service).js.publish(eventSubject[context], '{}', { timeout: 2_000 }));
    expect(await messagesIn(streams[context].name)).toBe(before);
  });

  it.each(['auditor', 'operator'] satisfies BusUser[])(
    'refuses the %s any append to an event stream',
    async (user) => {
      for (const context of contexts) {
        await refused(as(user).js.publish(eventSubject[context], '{}', { timeout: 2_000 }));
      }
    },
  );

  it.each(services)(
    'refuses %s to purge or delete any stream, its own included',
    async (service) => {
      for (const context of contexts) {
        await refused(as(service).jsm.streams.purge(streams[context].name));
        await refused(as(service).jsm.streams.delete(streams[context].name));
      }
      for (const context of contexts) {
        expect(await as('admin').jsm.streams.info(streams[context].name)).toBeDefined();
      }
    },
  );

  it('refuses a service to reconfigure another stream to take over its subjects', async () => {
    await refused(
      as('payment').jsm.streams.update(streams.order.name, { subjects: ['order.events.>', 'x.>'] }),
    );
    const { config } = await as('admin').jsm.streams.info(streams.order.name);
    expect(config.subjects).toEqual(streams.order.subjects);
  });

  it("refuses a service to pull from, reconfigure or delete another service's durable", async () => {
    await refused(as('payment').jsm.consumers.delete(streams.order.name, 'shipping-saga'));
    await refused(
      as('payment').jsm.consumers.update(streams.order.name, 'shipping-saga', {
        max_deliver: 1,
      }),
    );
    const consumer = await as('payment').js.consumers.get(streams.order.name, 'payment-saga');
    expect(consumer).toBeDefined();
    await refused(
      as('payment').connection.request(
        `$JS.API.CONSUMER.MSG.NEXT.${streams.order.name}.shipping-saga`,
        JSON.stringify({ batch: 1, no_wait: true }),
        { timeout: 2_000 },
      ),
    );
    expect(await as('admin').jsm.consumers.info(streams.order.name, 'shipping-saga')).toBeDefined();
  });

  it('lets the auditor read every stream with an ordered consumer', async () => {
    for (const context of contexts) {
      const consumer = await as('auditor').js.consumers.get(streams[context].name);
      const messages = await consumer.fetch({ max_messages: 1, expires: 2_000 });
      for await (const message of messages) expect(message.seq).toBeGreaterThan(0);
    }
  });
});
