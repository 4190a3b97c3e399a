import { encodeEnvelope, type Envelope } from '@orderflow/contracts';
import { ConcurrencyConflict, type EventStore, type StoredEvent } from './event-store';

/**
 * For unit tests of application code: what the repositories need of the event store, in memory,
 * with JetStream's two guarantees:
 * an event id already stored is dropped as a duplicate, and an append whose expected last
 * sequence is stale is refused.
 */
export class MemoryEventStore {
  private readonly log: (StoredEvent & { readonly subject: string })[] = [];
  private race: { readonly subject: string; readonly write: () => Promise<void> } | undefined;

  asEventStore(): EventStore {
    return this as unknown as EventStore;
  }

  /** Runs `write` once, just before the next append to `subject`: a concurrent writer. */
  raceOn(subject: string, write: () => Promise<void>): void {
    this.race = { subject, write };
  }

  async read(subject: string, afterSeq = 0): Promise<StoredEvent[]> {
    return this.log.filter((e) => e.subject === subject && e.seq > afterSeq);
  }

  async append(subject: string, envelopes: readonly Envelope[], expectedSeq: number) {
    const race = this.race;
    if (race?.subject === subject) {
      this.race = undefined;
      await race.write();
    }
    let lastSeq = expectedSeq;
    for (const envelope of envelopes) {
      encodeEnvelope(envelope);
      const duplicate = this.log.find((e) => e.envelope.id === envelope.id);
      if (duplicate) {
        lastSeq = duplicate.seq;
        continue;
      }
      const stored = this.log.filter((e) => e.subject === subject).at(-1)?.seq ?? 0;
      if (stored !== lastSeq) throw new ConcurrencyConflict(subject, lastSeq);
      lastSeq = this.log.push({ subject, envelope, seq: this.log.length + 1 });
    }
    return lastSeq;
  }

  /** The envelopes of one subject, in order. */
  events(subject: string): Envelope[] {
    return this.log.filter((e) => e.subject === subject).map((e) => e.envelope);
  }
}
