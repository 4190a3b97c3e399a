import { AckPolicy } from '@nats-io/jetstream';
import {
  busUsers,
  deadLetterStream,
  inboxPrefixOf,
  replaySubject,
  streams,
  subjectOf,
  type BusAccess,
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
const users = Object.entries(busUsers) as [BusUser, BusAccess][];
/** The services: each appends to the streams of its own contexts. */
const services = users.filter(([, access]) => access.appends.length > 0).map(([user]) => user);
const appends = users.flatMap(([user, access]) =>
  access.appends.map((context) => [user, context] as const),
);
const trespasses = users.flatMap(([user, access]) =>
  contexts.filter((c) => !access.appends.includes(c)).map((context) => [user, context] as const),
);

/** Each context's event of one aggregate, to append where it belongs and where it does not. */
const eventSubject: Record<Context, string> = {
  inventory: subjectOf('StockAdjusted', 'SKU-P'),
  order: subjectOf('OrderCreated', 'order-p'),
  payment: subjectOf('PaymentCaptured', 'order-p'),
  shipping: subjectOf('ShipmentDispatched', 'order-p'),
  analytics: subjectOf('AlertRuleDeleted', 'rule-p'),
  clickstream: subjectOf('CheckoutStarted', 'session-p'),
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
    // Each service creates its own streams and the dead-letter stream, as it does at start.
    for (const [user, context] of appends) {
      await ensureStream(as(user).jsm, streams[context]);
      await ensureStream(as(user).jsm, deadLetterStream);
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

  it.each(appends)('lets %s append to the %s stream, its own', async (user, context) => {
    const before = await messagesIn(streams[context].name);
    const event = { ...stockAdjusted('SKU-P'), id: randomId() };
    await as(user).js.publish(eventSubject[context], JSON.stringify(event));
    expect(await messagesIn(streams[context].name)).toBe(before + 1);
  });

  it.each(trespasses)(
    'refuses %s an append to the %s stream, which stays as it was',
    async (user, context) => {
      const before = await messagesIn(streams[context].name);
      await refused(as(user).js.publish(eventSubject[context], '{}', { timeout: 2_000 }));
      expect(await messagesIn(streams[context].name)).toBe(before);
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

  it("lets a service answer replay requests from the dead letters' operators, and write into no other inbox", async () => {
    const replays = as('payment').connection.subscribe(replaySubject('payment-saga'), {
      callback: (_error, request) => void request.respond(JSON.stringify({ replayed: true })),
    });
    await as('payment').connection.flush();
    for (const requester of ['operator', 'order', 'admin']) {
      const answer = await as(requester).connection.request(replaySubject('payment-saga'), '{}', {
        timeout: 2_000,
      });
      expect(answer.json()).toEqual({ replayed: true });
    }
    replays.unsubscribe();

    await refused(
      as('payment').connection.request(`${inboxPrefixOf('auditor')}.forged`, '{}', {
        timeout: 2_000,
      }),
    );
  });

  it('keeps no right to answer what JetStream delivers to a service (nats-server would keep one per message)', async () => {
    await as('admin').js.publish(eventSubject.order, '{}');
    const consumer = await as('payment').js.consumers.get(streams.order.name);
    const messages = await consumer.fetch({ max_messages: 1, expires: 2_000 });
    let reply: string | undefined;
    // JsMsg does not declare it, but each delivery has the ack subject as its reply.
    for await (const message of messages) {
      if ('reply' in message && typeof message.reply === 'string') reply = message.reply;
    }
    expect(reply).toMatch(/^\$JS\.ACK\./);

    await refused(as('payment').connection.request(reply!, '+ACK', { timeout: 2_000 }));
  });

  it('lets the auditor read every stream with an ordered consumer', async () => {
    for (const context of contexts) {
      const consumer = await as('auditor').js.consumers.get(streams[context].name);
      const messages = await consumer.fetch({ max_messages: 1, expires: 2_000 });
      for await (const message of messages) expect(message.seq).toBeGreaterThan(0);
    }
  });
});
