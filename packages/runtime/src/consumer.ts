import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { ContractViolation, decodeMessage, type Envelope } from '@orderflow/contracts';
import { publishDeadLetter, serveReplays } from './dead-letters';
import type { Logger } from './log';
import type { Nats } from './nats';
import { watchProgress, type Progress } from './progress';
import { supervise } from './supervise';

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
  /** How long messages may wait undelivered with none handled before the pull is renewed. */
  readonly stallMs?: number;
  /**
   * Fault injection for tests: every message is handled twice before its ack, as when a process
   * dies after the effect and before the ack. Handlers must make the second run change nothing.
   */
  readonly duplicateDeliveries?: boolean;
}

export interface RunningConsumer {
  /** Where it stands: the last message handled, how many wait, whether it is stuck. */
  progress(): Progress;
  /** Settles when the consumer ends: after stop(). */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

const CONSUMER_NOT_FOUND = 10014;

/** How consumers retry unless a spec says otherwise. */
export const retryDefaults = {
  maxDeliver: 5,
  backoffMs: [250, 1_000, 5_000, 15_000],
  ackWaitMs: 30_000,
} as const;

/**
 * The longest a message can wait before its handler succeeds or it is dead-lettered, with the
 * default retries: a delivery lost with its process comes back after the ack wait, and each
 * failed one after its backoff. Until then a missing effect is not yet a violation.
 */
export const redeliveryWindowMs = (): number => {
  const { maxDeliver, backoffMs, ackWaitMs } = retryDefaults;
  const delays = Array.from(
    { length: maxDeliver - 1 },
    (_, failure) => backoffMs[Math.min(failure, backoffMs.length - 1)]!,
  );
  return ackWaitMs + delays.reduce((sum, delay) => sum + delay, 0);
};

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
  const maxDeliver = spec.maxDeliver ?? retryDefaults.maxDeliver;
  const backoff = spec.backoffMs ?? retryDefaults.backoffMs;
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.filterSubject,
    ack_wait: (spec.ackWaitMs ?? retryDefaults.ackWaitMs) * 1_000_000,
    // Unbounded on the server: this runner counts deliveries itself, so a message that crashes
    // the process every time is still dead-lettered rather than silently parked.
    max_deliver: -1,
  };
  const ensureDurable = async () => {
    try {
      await nats.jsm.consumers.update(spec.stream, spec.durable, config);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== CONSUMER_NOT_FOUND) throw error;
      await nats.jsm.consumers.add(spec.stream, config);
    }
  };
  await ensureDurable();
  const consumerLog = log.child({ consumer: spec.durable });

  const deadLetter = async (message: JsMsg, reason: unknown) => {
    await publishDeadLetter(nats, message, spec, reason);
    consumerLog.warn('dead-lettered', { seq: message.seq, subject: message.subject, reason });
    message.ack();
  };

  // An operator's replay runs the handler as a delivery would.
  const replays = serveReplays(
    nats,
    spec.durable,
    (event, letter) =>
      spec.handle(event, { seq: letter.source.seq, deliveryCount: letter.deliveries + 1 }),
    consumerLog,
  );

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

  let messages: ConsumerMessages | undefined;
  let stopped = false;
  let position = 0;
  const watch = watchProgress({
    name: `consumer ${spec.durable}`,
    log: consumerLog,
    stallMs: spec.stallMs ?? 10_000,
    position: () => position,
    behind: async () => (await nats.jsm.consumers.info(spec.stream, spec.durable)).num_pending,
    // Ending the pull makes the loop below pull again.
    renew: () => messages?.stop(),
  });

  // consume() survives reconnects by itself; supervision covers a pull that ended or failed,
  // and a durable deleted under us, which it creates again.
  const loop = supervise(
    async () => {
      const consumer = await nats.js.consumers.get(spec.stream, spec.durable);
      messages = await consumer.consume({ max_messages: 64 });
      if (stopped) await messages.close();
      for await (const message of messages) {
        try {
          await processMessage(message);
          position = Math.max(position, message.seq);
          watch.advanced();
        } catch (error) {
          // Infrastructure failed (e.g. the dead-letter publish): left to ack_wait redelivery.
          watch.failed(error);
          consumerLog.error('message left unacknowledged', { seq: message.seq, error });
        }
      }
    },
    async (error) => {
      watch.failed(error);
      consumerLog.error('consuming failed; will pull again', { error });
      if (error instanceof JetStreamApiError && error.code === CONSUMER_NOT_FOUND) {
        await ensureDurable().catch((failure: unknown) =>
          consumerLog.error('could not create the durable again', { error: failure }),
        );
      }
    },
    () => stopped,
  );
  consumerLog.info('consuming', { stream: spec.stream, filter: spec.filterSubject });

  return {
    progress: () => watch.progress(),
    finished: loop,
    stop: async () => {
      stopped = true;
      watch.stop();
      replays.unsubscribe();
      await messages?.close();
      await loop;
    },
  };
};
