import { AckPolicy, StorageType } from '@nats-io/jetstream';
import { streams } from '@orderflow/contracts';
import type { Nats } from '@orderflow/runtime';

export interface JetStreamBaseline {
  readonly messages: number;
  /** Acknowledged publishes per second, `inFlight` at a time. */
  readonly publishesPerSecond: number;
  /** Messages delivered to one durable pull consumer and acknowledged, per second. */
  readonly consumesPerSecond: number;
}

const STREAM = 'BENCH_BASELINE';

/** About the size of one of the saga's events on the wire (an envelope with its data). */
const PAYLOAD = new TextEncoder().encode(
  JSON.stringify({
    id: '0190c3e4-7a4b-7c3e-9d2a-5b6c7d8e9f00',
    type: 'OrderPaymentCaptured',
    schemaVersion: 1,
    aggregateId: '0190c3e4-7a4b-7c3e-9d2a-5b6c7d8e9f01',
    aggregateVersion: 3,
    occurredAt: '2026-12-02T10:00:00.000Z',
    correlationId: '0190c3e4-7a4b-7c3e-9d2a-5b6c7d8e9f01',
    causationId: '0190c3e4-7a4b-7c3e-9d2a-5b6c7d8e9f02',
    causationType: 'event',
    data: {
      orderId: '0190c3e4-7a4b-7c3e-9d2a-5b6c7d8e9f01',
      paymentId: '0190c3e4-7a4b-7c3e-9d2a-5b6c7d8e9f03',
      amount: { amount: 2_000, currency: 'USD' },
      lines: [{ sku: 'BENCH-001', quantity: 1, unitPrice: { amount: 1_000, currency: 'USD' } }],
    },
  }),
);

export const PAYLOAD_BYTES = PAYLOAD.byteLength;

/**
 * What JetStream alone does on the same server, with the same file storage: `messages` events
 * published `inFlight` at a time to 1,000 subjects (one per aggregate, as the services do), then
 * read back through a durable pull consumer that acknowledges each. Its stream is deleted after.
 */
export const measureJetStream = async (
  nats: Nats,
  { messages = 50_000, inFlight = 256 } = {},
): Promise<JetStreamBaseline> => {
  await nats.jsm.streams.add({
    name: STREAM,
    subjects: ['bench.baseline.>'],
    storage: StorageType.File,
  });
  try {
    let next = 0;
    const publishing = performance.now();
    const publisher = async () => {
      while (next < messages) {
        const i = next++;
        await nats.js.publish(`bench.baseline.${i % 1_000}`, PAYLOAD);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, publisher));
    const publishSeconds = (performance.now() - publishing) / 1000;

    await nats.jsm.consumers.add(STREAM, {
      durable_name: 'baseline',
      ack_policy: AckPolicy.Explicit,
    });
    const consumer = await nats.js.consumers.get(STREAM, 'baseline');
    const consuming = performance.now();
    const delivered = await consumer.consume({ max_messages: 1_000 });
    let seen = 0;
    for await (const message of delivered) {
      message.ack();
      if (++seen >= messages) break;
    }
    await delivered.close();
    const consumeSeconds = (performance.now() - consuming) / 1000;
    return {
      messages,
      publishesPerSecond: messages / publishSeconds,
      consumesPerSecond: messages / consumeSeconds,
    };
  } finally {
    await nats.jsm.streams.delete(STREAM);
  }
};

/** Messages on the services' event streams (order, inventory, payment, shipping, analytics). */
export const eventsStored = async (nats: Nats): Promise<number> => {
  let total = 0;
  for (const { name } of Object.values(streams)) {
    total += (await nats.jsm.streams.info(name)).state.messages;
  }
  return total;
};
