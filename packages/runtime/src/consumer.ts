import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { ContractViolation, decodeMessage, type Envelope } from '@orderflow/contracts';
import type { Logger } from './log';
import type { Nats } from './nats';

export interface Delivery {
  readonly seq: number;
  readonly deliveryCount: number;
}

export type EventHandler = (event: Envelope, delivery: Delivery) => Promise<void>;

export interface ConsumerSpec {
  readonly stream: string;
  /** Replicas of a service share this durable name, and so share the work. */
  readonly durable: string;
  readonly filterSubject: string;
  readonly handle: EventHandler;
  /** Deliveries before a failing message is dead-lettered. */
  readonly maxDeliver?: number;
  /** Redelivery delay after the n-th failure; the last entry repeats. */
  readonly backoffMs?: readonly number[];
  /** How long a delivery may stay unacknowledged before JetStream hands it out again. */
  readonly ackWaitMs?: number;
  /**
   * Fault injection for tests: every message is handled twice before its ack, as when a process
   * dies after the effect and before the ack. Handlers must make the second run change nothing.
   */
  readonly duplicateDeliveries?: boolean;
}

export interface RunningConsumer {
  /** Settles when the consumer ends: resolves after stop(), rejects if it failed. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

const CONSUMER_NOT_FOUND = 10014;

export const deadLetterSubject = (durable: string) => `deadletter.${durable}`;

/**
 * Runs a durable pull consumer: a message is acknowledged only after its handler's effects are
 * durable; a failure is retried with backoff; after `maxDeliver` attempts, or at once for a message
 * that breaks the contract, it moves to the dead-letter stream and the consumer goes on.
 */
export const runConsumer = async (
  nats: Nats,
  spec: ConsumerSpec,
  log: Logger,
): Promise<RunningConsumer> => {
  const maxDeliver = spec.maxDeliver ?? 5;
  const backoff = spec.backoffMs ?? [250, 1_000, 5_000, 15_000];
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.filterSubject,
    ack_wait: (spec.ackWaitMs ?? 30_000) * 1_000_000,
    // Unbounded on the server: this runner counts deliveries itself, so a message that crashes
    // the process every time is still dead-lettered rather than silently parked.
    max_deliver: -1,
  };
  try {
    await nats.jsm.consumers.update(spec.stream, spec.durable, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== CONSUMER_NOT_FOUND) throw error;
    await nats.jsm.consumers.add(spec.stream, config);
  }
  const consumerLog = log.child({ consumer: spec.durable });

  const deadLetter = async (message: JsMsg, reason: unknown) => {
    const h = headers();
    // Nats-* headers are instructions to the server about the original append (its expected
    // last sequence, its dedup id): repeated on another subject they would refuse the copy.
    for (const [key, values] of message.headers ?? []) {
      if (key.toLowerCase().startsWith('nats-')) continue;
      for (const v of values) h.append(key, v);
    }
    h.set('Orderflow-Error', reason instanceof Error ? reason.message : String(reason));
    h.set('Orderflow-Source-Stream', spec.stream);
    h.set('Orderflow-Source-Subject', message.subject);
    h.set('Orderflow-Source-Seq', String(message.seq));
    h.set('Orderflow-Deliveries', String(message.info.deliveryCount));
    await nats.js.publish(deadLetterSubject(spec.durable), message.data, {
      headers: h,
      msgID: `${spec.stream}:${message.seq}:${spec.durable}`,
    });
    consumerLog.warn('dead-lettered', { seq: message.seq, subject: message.subject, reason });
    message.ack();
  };

  const processMessage = async (message: JsMsg) => {
    const delivery = { seq: message.seq, deliveryCount: message.info.deliveryCount };
    let event: Envelope;
    try {
      event = decodeMessage(message.data);
    } catch (error) {
      if (error instanceof ContractViolation) return deadLetter(message, error);
      throw error;
    }
    if (delivery.deliveryCount > maxDeliver) {
      return deadLetter(message, new Error(`gave up after ${maxDeliver} deliveries`));
    }
    try {
      await spec.handle(event, delivery);
      if (spec.duplicateDeliveries) {
        await spec.handle(event, { ...delivery, deliveryCount: delivery.deliveryCount + 1 });
      }
      message.ack();
    } catch (error) {
      if (delivery.deliveryCount >= maxDeliver) return deadLetter(message, error);
      const delay = backoff[Math.min(delivery.deliveryCount, backoff.length) - 1] ?? 1_000;
      consumerLog.warn('handler failed; will retry', {
        seq: message.seq,
        type: event.type,
        deliveryCount: delivery.deliveryCount,
        retryInMs: delay,
        error,
      });
      message.nak(delay);
    }
  };

  const consumer = await nats.js.consumers.get(spec.stream, spec.durable);
  let messages: ConsumerMessages | undefined;
  let stopped = false;
  const loop = (async () => {
    // consume() survives reconnects by itself; the outer loop covers a consumer deleted under us.
    while (!stopped) {
      messages = await consumer.consume({ max_messages: 64 });
      for await (const message of messages) {
        try {
          await processMessage(message);
        } catch (error) {
          // Infrastructure failed (e.g. the dead-letter publish): leave it to ack_wait redelivery.
          consumerLog.error('message left unacknowledged', { seq: message.seq, error });
        }
      }
    }
  })();
  consumerLog.info('consuming', { stream: spec.stream, filter: spec.filterSubject });

  return {
    finished: loop,
    stop: async () => {
      stopped = true;
      await messages?.close();
      await loop;
    },
  };
};
