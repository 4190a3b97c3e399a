import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import {
  ContractViolation,
  decodeMessage,
  NewerSchemaVersion,
  type Envelope,
} from '@orderflow/contracts';
import { consumerMetrics } from './consumer-metrics';
import { publishDeadLetter, serveReplays } from './dead-letters';
import { lanes } from './lanes';
import type { Logger } from './log';
import type { Nats } from './nats';
import { watchProgress, type Progress } from './progress';
import { supervise } from './supervise';
import { inSpan, SpanKind, traceContextFrom } from './tracing';

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
  /**
   * How many messages are handled at once, each of another subject (aggregate): messages of one
   * subject are handled in the order they were published. 1 handles everything in order.
   */
  readonly concurrency?: number;
  /** How long a delivery may stay unacknowledged before JetStream hands it out again. */
  readonly ackWaitMs?: number;
  /** How long messages may wait undelivered with none handled before the pull is renewed. */
  readonly stallMs?: number;
  /**
   * How often a message from a newer producer, held until this service is upgraded, is reported
   * again: after `firstMs`, doubling up to `maxMs` (and never less often than half the ack wait,
   * which is how the hold is renewed).
   */
  readonly upgradeWait?: { readonly firstMs: number; readonly maxMs: number };
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

/** Aggregates a consumer handles at once unless a spec says otherwise. */
export const DEFAULT_CONCURRENCY = 32;

/** How a message waiting for an upgrade is reported unless a spec says otherwise. */
export const upgradeWaitDefaults = { firstMs: 1_000, maxMs: 60_000 } as const;

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
 *
 * A message written by a newer version of its producer (`NewerSchemaVersion`) is neither handled
 * nor dead-lettered: this process cannot read it and never will, an upgraded one can. It is held
 * unacknowledged (kept in progress with `working()`, so its delivery count does not grow and the
 * upgraded handler still gets all `maxDeliver` attempts), reported in the log at growing intervals
 * and in `progress().error`, and released with a nak when the consumer stops, so that an upgraded
 * replica takes it at once. Later messages are handled meanwhile.
 */
export const runConsumer = async (
  nats: Nats,
  spec: ConsumerSpec,
  log: Logger,
): Promise<RunningConsumer> => {
  const maxDeliver = spec.maxDeliver ?? retryDefaults.maxDeliver;
  const concurrency = spec.concurrency ?? DEFAULT_CONCURRENCY;
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

  // Messages this code is too old to read, by stream sequence: held until this process stops.
  const waiting = new Map<number, { message: JsMsg; problem: string; timer: NodeJS.Timeout }>();
  const ackWaitMs = spec.ackWaitMs ?? retryDefaults.ackWaitMs;
  const upgradeWait = spec.upgradeWait ?? upgradeWaitDefaults;
  const release = (seq: number) => {
    const held = waiting.get(seq);
    if (!held) return;
    clearTimeout(held.timer);
    waiting.delete(seq);
    return held.message;
  };
  const waitForUpgrade = (message: JsMsg, error: NewerSchemaVersion) => {
    // A redelivery of a message already held (a hold lost in a disconnect) replaces the old one.
    release(message.seq);
    const problem = `waiting for an upgrade: ${error.message}`;
    const details = {
      seq: message.seq,
      subject: message.subject,
      type: error.type,
      version: error.version,
      known: error.known,
      deliveryCount: message.info.deliveryCount,
    };
    consumerLog.warn(`${problem}; upgrade this service (the message is held, not dead-lettered)`, {
      ...details,
    });
    const since = Date.now();
    const renew = (delay: number) => {
      const timer = setTimeout(
        () => {
          message.working();
          consumerLog.warn(`still ${problem}; upgrade this service`, {
            ...details,
            waitingForMs: Date.now() - since,
          });
          renew(Math.min(delay * 2, upgradeWait.maxMs));
        },
        Math.min(delay, ackWaitMs / 2),
      );
      timer.unref();
      waiting.set(message.seq, { message, problem, timer });
    };
    renew(upgradeWait.firstMs);
    return 'waiting' as const;
  };

  const deadLetter = async (message: JsMsg, reason: unknown) => {
    await publishDeadLetter(nats, message, spec, reason);
    consumerLog.warn('dead-lettered', { seq: message.seq, subject: message.subject, reason });
    message.ack();
    return 'dead_letter' as const;
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
    consumerMetrics.delivered(spec.durable, message.info.deliveryCount);
    const finish = consumerMetrics.handling(spec.durable);
    const outcome = await deliver(message);
    finish(outcome === 'waiting' ? 'waiting_for_upgrade' : outcome);
    return outcome;
  };

  const deliver = async (message: JsMsg) => {
    const delivery = { seq: message.seq, deliveryCount: message.info.deliveryCount };
    let event: Envelope;
    try {
      event = decodeMessage(message.data);
    } catch (error) {
      if (error instanceof NewerSchemaVersion) return waitForUpgrade(message, error);
      if (error instanceof ContractViolation) return deadLetter(message, error);
      throw error;
    }
    if (delivery.deliveryCount > maxDeliver) {
      return deadLetter(message, new Error(`gave up after ${maxDeliver} deliveries`));
    }
    try {
      // A child of the append that published the event: one saga is one trace across services.
      await inSpan(
        `${spec.durable} handles ${event.type}`,
        {
          kind: SpanKind.CONSUMER,
          parent: traceContextFrom((name) => message.headers?.get(name) || undefined),
          attributes: {
            'messaging.consumer.group.name': spec.durable,
            'messaging.message.id': event.id,
            'orderflow.delivery': delivery.deliveryCount,
          },
        },
        async () => {
          await spec.handle(event, delivery);
          if (spec.duplicateDeliveries) {
            await spec.handle(event, { ...delivery, deliveryCount: delivery.deliveryCount + 1 });
          }
        },
      );
      message.ack();
      return 'ok' as const;
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
      return 'retry' as const;
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
      // One aggregate's messages in order, many aggregates at once (handlers mostly wait).
      const work = lanes(concurrency);
      try {
        for await (const message of messages) {
          await work.run(message.subject, async () => {
            try {
              if ((await processMessage(message)) === 'waiting') return;
              position = Math.max(position, message.seq);
              watch.advanced();
            } catch (error) {
              // Infrastructure failed (e.g. the dead-letter publish): left to ack_wait redelivery.
              watch.failed(error);
              consumerLog.error('message left unacknowledged', { seq: message.seq, error });
            }
          });
        }
      } finally {
        await work.drain();
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
  consumerMetrics.track(spec.durable, async () => {
    const info = await nats.jsm.consumers.info(spec.stream, spec.durable);
    return { pending: info.num_pending, ackPending: info.num_ack_pending };
  });
  consumerLog.info('consuming', { stream: spec.stream, filter: spec.filterSubject });

  return {
    progress: () => {
      const progress = watch.progress();
      const held = [...waiting.values()];
      if (held.length === 0) return progress;
      const upgrade =
        held.length === 1
          ? held[0]!.problem
          : `${held[0]!.problem} (and ${held.length - 1} more messages)`;
      const error = progress.error === undefined ? upgrade : `${upgrade}; ${progress.error}`;
      return { ...progress, error };
    },
    finished: loop,
    stop: async () => {
      stopped = true;
      consumerMetrics.untrack(spec.durable);
      watch.stop();
      // Handed back at once, so that an upgraded replica need not wait out the ack wait.
      for (const seq of [...waiting.keys()]) release(seq)?.nak();
      replays.unsubscribe();
      await messages?.close();
      await loop;
    },
  };
};
