import { DeliverPolicy, JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import {
  ContractViolation,
  decodeMessage,
  NewerSchemaVersion,
  type Envelope,
} from '@orderflow/contracts';
import {
  ConcurrencyConflict,
  type AppendOptions,
  type EventFeed,
  type EventStore,
  type StoredEvent,
} from './event-store';
import type { Logger } from './log';
import { counter } from './metrics';
import type { Nats } from './nats';
import { SharedLiveFeed } from './live-feed';
import { inSpan, natsTraceHeaders, SpanKind } from './tracing';
import { toWire } from './wire';

const WRONG_LAST_SEQUENCE = 10071;
/** Events read one direct get at a time before a read streams the rest. */
const DIRECT_READS = 8;

const appended = counter({
  name: 'orderflow_events_appended_total',
  help: 'Events this process appended to the log, by stream and type',
  labelNames: ['stream', 'type'],
});

const skipped = counter({
  name: 'orderflow_feed_skipped_total',
  help: 'Messages that break the contract, passed over by the feeds that follow a stream',
  labelNames: ['stream'],
});

const conflicts = counter({
  name: 'orderflow_event_store_conflicts_total',
  help: 'Appends refused because another writer moved the aggregate first (then decided again)',
  labelNames: ['stream'],
});

/**
 * The event store on one JetStream stream. Each aggregate instance is one subject; its state is
 * the fold of that subject, and appends are guarded by the subject's last stream sequence.
 */
export class JetStreamEventStore implements EventStore {
  private singleCopy: Promise<boolean> | undefined;
  private readonly liveFeeds = new Map<string, SharedLiveFeed>();

  /** `log` tells of the messages a feed passes over (they are counted either way). */
  constructor(
    private readonly nats: Nats,
    private readonly stream: string,
    private readonly log?: Logger,
  ) {}

  /**
   * Asked of the stream's leader, which has every acknowledged append. A stream kept in one copy
   * has no other server to answer, so there a direct get is as current, and it is cheaper on
   * both sides: no API request and JSON answer for nats-server, and "no such subject", the answer
   * for every new aggregate, is a status rather than an error built with its stack.
   */
  async lastSequence(subject: string): Promise<number> {
    const last = (await this.inOneCopy())
      ? await this.nats.jsm.direct.getMessage(this.stream, { last_by_subj: subject })
      : await this.nats.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
    return last?.seq ?? 0;
  }

  async read(subject: string, afterSeq = 0): Promise<StoredEvent[]> {
    const lastSeq = await this.lastSequence(subject);
    if (lastSeq <= afterSeq) return [];
    // Most reads catch a cached fold up by an event or two: a direct get each costs one round
    // trip, where a consumer costs a create, a pull and a delete on the server. A long history
    // (a first read, a busy product) is streamed through a consumer from where this stopped.
    const events: StoredEvent[] = [];
    for (let from = afterSeq + 1; events.length < DIRECT_READS;) {
      const message = await this.nats.jsm.direct.getMessage(this.stream, {
        seq: from,
        next_by_subj: subject,
      });
      if (message === null || message.seq > lastSeq) break;
      events.push({ envelope: decodeMessage(message.data), seq: message.seq });
      if (message.seq === lastSeq) return events;
      from = message.seq + 1;
    }
    return [
      ...events,
      ...(await this.readThroughConsumer(subject, events.at(-1)?.seq ?? afterSeq, lastSeq)),
    ];
  }

  async first(subject: string): Promise<StoredEvent | undefined> {
    const message = await this.nats.jsm.direct.getMessage(this.stream, {
      seq: 1,
      next_by_subj: subject,
    });
    if (message !== null) return { envelope: decodeMessage(message.data), seq: message.seq };
    // A stream replica that answers direct gets may not hold the subject yet: ask the log.
    const [first] = await this.read(subject);
    return first;
  }

  /**
   * Whether the stream is kept by one server only and answers direct gets; asked once (a failed
   * ask is asked again).
   */
  private inOneCopy(): Promise<boolean> {
    this.singleCopy ??= this.nats.jsm.streams.info(this.stream).then(
      (info) => info.config.num_replicas <= 1 && info.config.allow_direct === true,
      (error: unknown) => {
        this.singleCopy = undefined;
        throw error;
      },
    );
    return this.singleCopy;
  }

  /** The subject's events after `afterSeq` up to `lastSeq`, through an ordered consumer. */
  private async readThroughConsumer(
    subject: string,
    afterSeq: number,
    lastSeq: number,
  ): Promise<StoredEvent[]> {
    const consumer = await this.nats.js.consumers.get(this.stream, {
      filter_subjects: subject,
      ...(afterSeq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 }
        : { deliver_policy: DeliverPolicy.All }),
    });
    const events: StoredEvent[] = [];
    const messages = await consumer.consume({ max_messages: 256 });
    try {
      for await (const message of messages) {
        events.push(toStoredEvent(message));
        if (message.seq >= lastSeq) break;
      }
    } finally {
      await messages.close();
      await consumer.delete().catch(() => undefined);
    }
    return events;
  }

  /**
   * Each event's id is its `Nats-Msg-Id`, so publishing the same event twice within the
   * stream's duplicate window stores it once.
   */
  async append(
    subject: string,
    envelopes: readonly Envelope[],
    expectedSeq: number,
    options: AppendOptions = {},
  ): Promise<number> {
    return inSpan(
      `append ${envelopes.map((envelope) => envelope.type).join(', ')}`,
      { kind: SpanKind.PRODUCER, attributes: { 'messaging.destination.name': subject } },
      () => this.publish(subject, envelopes, expectedSeq, options),
    );
  }

  private async publish(
    subject: string,
    envelopes: readonly Envelope[],
    expectedSeq: number,
    { unread = false }: AppendOptions,
  ): Promise<number> {
    // The append's own span travels with each event, so whoever handles it continues the trace.
    const trace = natsTraceHeaders();
    let lastSeq = expectedSeq;
    for (const envelope of envelopes) {
      const message = toWire(subject, envelope);
      try {
        const ack = await this.nats.js.publish(message.subject, message.data, {
          ...(trace ? { headers: trace } : {}),
          msgID: message.msgId,
          expect: { lastSubjectSequence: lastSeq },
        });
        // JetStream answers a duplicate before it checks the expected sequence.
        if (ack.duplicate && unread) throw new ConcurrencyConflict(subject, lastSeq);
        lastSeq = ack.seq;
        // A duplicate (a redelivery deciding the same again) is stored once, so not counted.
        if (!ack.duplicate) appended.inc({ stream: this.stream, type: envelope.type });
      } catch (error) {
        if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) {
          conflicts.inc({ stream: this.stream });
          throw new ConcurrencyConflict(subject, lastSeq);
        }
        throw error;
      }
    }
    return lastSeq;
  }

  /**
   * An ordered consumer: it resumes where it was after a reconnect, so no gap and no repeat.
   * Followers of many aggregates from now on (every order's status, for each customer watching
   * theirs) share one, so each event crosses to this process once, however many follow it.
   */
  async follow(filter: string, from: 'start' | 'now'): Promise<EventFeed> {
    if (from === 'start' || !isWildcard(filter)) return this.openFeed(filter, from);
    let live = this.liveFeeds.get(filter);
    if (live === undefined) {
      live = new SharedLiveFeed(
        filter,
        () => this.openFeed(filter, 'now'),
        async () => (await this.nats.jsm.streams.info(this.stream)).state.last_seq,
      );
      this.liveFeeds.set(filter, live);
    }
    return live.follow();
  }

  private async openFeed(filter: string, from: 'start' | 'now'): Promise<EventFeed> {
    const consumer = await this.nats.js.consumers.get(this.stream, {
      filter_subjects: filter,
      deliver_policy: from === 'start' ? DeliverPolicy.All : DeliverPolicy.New,
    });
    const messages = await consumer.consume({ max_messages: 64 });
    const followed = (message: JsMsg) => this.followed(message);
    const events = async function* () {
      for await (const message of messages) {
        const event = followed(message);
        if (event !== undefined) yield event;
      }
    };
    return {
      [Symbol.asyncIterator]: events,
      close: async () => {
        await messages.close();
        // Gone at once rather than after the server's idle timeout: subscriptions come and go.
        await consumer.delete().catch(() => undefined);
      },
    };
  }

  /**
   * A followed message as an event, or undefined for one that breaks the contract: it is part of
   * no aggregate's history, and ending the feed on it would end every subscription that shares
   * it, and every replay that meets it. One from a newer producer does end the feed: this code
   * cannot tell what it means.
   */
  private followed(message: JsMsg): StoredEvent | undefined {
    try {
      return toStoredEvent(message);
    } catch (error) {
      if (!(error instanceof ContractViolation) || error instanceof NewerSchemaVersion) throw error;
      skipped.inc({ stream: this.stream });
      this.log?.warn('a followed message breaks the contract: passed over', {
        stream: this.stream,
        seq: message.seq,
        error,
      });
      return undefined;
    }
  }
}

const toStoredEvent = (message: JsMsg): StoredEvent => ({
  envelope: decodeMessage(message.data),
  seq: message.seq,
});

const isWildcard = (filter: string) =>
  filter.split('.').some((token) => token === '*' || token === '>');
