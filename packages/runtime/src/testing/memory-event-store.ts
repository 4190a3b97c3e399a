import { matchesFilter, type Envelope } from '@orderflow/contracts';
import {
  ConcurrencyConflict,
  type AppendOptions,
  type EventFeed,
  type EventStore,
  type StoredEvent,
} from '../event-store';
import { toWire, type WireMessage } from '../wire';

type LoggedEvent = StoredEvent & { readonly subject: string; readonly message: WireMessage };

/**
 * For unit tests of application code: the event store in memory, with JetStream's two
 * guarantees: an event id already stored is dropped as a duplicate, and an append whose expected
 * last sequence is stale is refused. Sequences are positions in the whole log, as a stream's are.
 */
export class MemoryEventStore implements EventStore {
  private readonly log: LoggedEvent[] = [];
  private readonly followers = new Set<() => void>();
  private race: { readonly subject: string; readonly write: () => Promise<void> } | undefined;

  /** Runs `write` once, just before the next append to `subject`: a concurrent writer. */
  raceOn(subject: string, write: () => Promise<void>): void {
    this.race = { subject, write };
  }

  async lastSequence(subject: string): Promise<number> {
    return this.lastSeqOf(subject);
  }

  async read(subject: string, afterSeq = 0): Promise<StoredEvent[]> {
    return this.log.filter((e) => e.subject === subject && e.seq > afterSeq);
  }

  async first(subject: string): Promise<StoredEvent | undefined> {
    return this.log.find((e) => e.subject === subject);
  }

  async append(
    subject: string,
    envelopes: readonly Envelope[],
    expectedSeq: number,
    { unread = false }: AppendOptions = {},
  ): Promise<number> {
    const race = this.race;
    if (race?.subject === subject) {
      this.race = undefined;
      await race.write();
    }
    let lastSeq = expectedSeq;
    for (const envelope of envelopes) {
      // What JetStream could not publish, this refuses too.
      const message = toWire(subject, envelope);
      const duplicate = this.log.find((e) => e.envelope.id === envelope.id);
      if (duplicate) {
        if (unread) throw new ConcurrencyConflict(subject, lastSeq);
        lastSeq = duplicate.seq;
        continue;
      }
      if (this.lastSeqOf(subject) !== lastSeq) throw new ConcurrencyConflict(subject, lastSeq);
      lastSeq = this.log.push({ subject, envelope, message, seq: this.log.length + 1 });
      for (const wake of this.followers) wake();
    }
    return lastSeq;
  }

  async follow(filter: string, from: 'start' | 'now'): Promise<EventFeed> {
    const log = this.log;
    const followers = this.followers;
    let next = from === 'start' ? 0 : log.length;
    let closed = false;
    let wake = (): void => undefined;
    const follower = () => wake();
    followers.add(follower);
    return {
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          const event = log[next];
          if (event === undefined) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            continue;
          }
          next += 1;
          if (matchesFilter(filter, event.subject)) {
            yield { envelope: event.envelope, seq: event.seq };
          }
        }
      },
      close: async () => {
        closed = true;
        followers.delete(follower);
        wake();
      },
    };
  }

  /** Everything appended, in log order, as it would have gone over the wire. */
  messages(): WireMessage[] {
    return this.log.map((e) => e.message);
  }

  /** The envelopes of one subject, in order. */
  events(subject: string): Envelope[] {
    return this.log.filter((e) => e.subject === subject).map((e) => e.envelope);
  }

  // Synchronous, so that no other append runs between the check of a sequence and the write.
  private lastSeqOf(subject: string): number {
    return this.log.findLast((e) => e.subject === subject)?.seq ?? 0;
  }
}
