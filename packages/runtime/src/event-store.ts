import type { Envelope } from '@orderflow/contracts';

export interface StoredEvent {
  readonly envelope: Envelope;
  /** The event's stream sequence: its position in the bounded context's log. */
  readonly seq: number;
}

/** The subject moved on since it was read: reload and decide again. */
export class ConcurrencyConflict extends Error {
  override readonly name = 'ConcurrencyConflict';
  constructor(
    readonly subject: string,
    readonly expectedSeq: number,
  ) {
    super(`${subject} has events after sequence ${expectedSeq}`);
  }
}

export interface EventFeed extends AsyncIterable<StoredEvent> {
  close(): Promise<void>;
}

export interface AppendOptions {
  /**
   * The events were decided from a state assumed without reading the subject (a new aggregate's).
   * An event already stored then means the subject holds more than was assumed: that is a
   * ConcurrencyConflict, not a duplicate to pass over.
   */
  readonly unread?: boolean;
}

/**
 * The event log of one bounded context. Each aggregate instance is one subject, and its state is
 * the fold of that subject's events; sequences are positions in the whole log, so they grow
 * across subjects.
 */
export interface EventStore {
  /** The sequence of the subject's last event, or 0 when the subject is empty. */
  lastSequence(subject: string): Promise<number>;

  /** The subject's events with a sequence above `afterSeq`, in order. */
  read(subject: string, afterSeq?: number): Promise<StoredEvent[]>;

  /**
   * The subject's first event, or undefined when it has none: an aggregate's first event (an
   * order's OrderCreated) never changes, so a reader that needs only it need not read the rest.
   */
  first(subject: string): Promise<StoredEvent | undefined>;

  /**
   * Appends events to a subject whose last sequence must still be `expectedSeq` (0: empty), or
   * throws ConcurrencyConflict. An event whose id is already stored is stored once, so deciding
   * the same thing twice is harmless. Returns the sequence of the last event appended.
   */
  append(
    subject: string,
    envelopes: readonly Envelope[],
    expectedSeq: number,
    options?: AppendOptions,
  ): Promise<number>;

  /**
   * The events on `filter` (a subject, NATS wildcards allowed) in log order: from the first one
   * or from now on, then live as they are appended, with no gap and no repeat. For
   * subscriptions; close() ends it.
   */
  follow(filter: string, from: 'start' | 'now'): Promise<EventFeed>;
}
