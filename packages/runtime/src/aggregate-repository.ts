import {
  aggregateSubject,
  catalog,
  type Context,
  type Decider,
  type DomainEvent,
  type Envelope,
} from '@orderflow/contracts';
import { ConcurrencyConflict, type EventStore } from './event-store';
import { deterministicId } from './ids';

export interface Loaded<State> {
  readonly state: State;
  /** How many events the aggregate has: the `aggregateVersion` of its last event. */
  readonly version: number;
  /** The stream sequence of its last event: what the next append expects. */
  readonly lastSeq: number;
  /** The `occurredAt` of its last event: deciders never see envelopes, read sides need it. */
  readonly updatedAt: string | undefined;
}

/** Why a command runs: the saga it belongs to and the message or request that caused it. */
export interface Cause {
  readonly correlationId: string;
  readonly causationId: string;
  /** The causing event's type, or `request` / `deadline`. */
  readonly causationType: string;
  readonly now: Date;
}

/** A reaction's cause: the event it reacts to, in that event's saga. */
export const causedBy = (event: Envelope, now: Date): Cause => ({
  correlationId: event.correlationId,
  causationId: event.id,
  causationType: event.type,
  now,
});

/**
 * Time's cause: work that fell due. `dueWork` names it the same on every tick and every replica,
 * so finding the same due work twice decides the same event ids and JetStream keeps one.
 */
export const deadlineCause = (dueWork: string, correlationId: string, now: Date): Cause => ({
  correlationId,
  causationId: deterministicId(dueWork),
  causationType: 'deadline',
  now,
});

/** An API request's cause; `correlationId` names the saga it starts or joins. */
export const requestCause = (requestId: string, correlationId: string, now: Date): Cause => ({
  correlationId,
  causationId: requestId,
  causationType: 'request',
  now,
});

export interface Handled<State> {
  readonly state: State;
  readonly version: number;
  readonly updatedAt: string | undefined;
  /** The events this command appended; empty when the state already reflected it. */
  readonly appended: readonly Envelope[];
}

export interface RepositoryOptions {
  readonly context: Context;
  readonly aggregate: string;
  /** Attempts at load-decide-append when other writers keep moving the subject. */
  readonly maxAttempts?: number;
  /** How many aggregates to keep folded in memory; a hit costs one sequence check, not a replay. */
  readonly cacheSize?: number;
  /** Told what each command appended, once it is in the log: for metrics of what was decided. */
  readonly observe?: (appended: readonly Envelope[]) => void;
}

/**
 * Runs commands against one aggregate type: load (fold the subject, from cache when it is
 * current), decide, append guarded by the last sequence, and on a conflict start over.
 */
export class AggregateRepository<Command, State, Event extends DomainEvent> {
  private readonly cache = new Map<string, Loaded<State>>();
  /** Per aggregate, the end of the command now running on it in this process. */
  private readonly turns = new Map<string, Promise<void>>();
  private readonly maxAttempts: number;
  private readonly cacheSize: number;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, State, Event>,
    private readonly options: RepositoryOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 10;
    this.cacheSize = options.cacheSize ?? 10_000;
  }

  subject(id: string): string {
    return aggregateSubject(this.options.context, this.options.aggregate, id);
  }

  async load(id: string): Promise<Loaded<State>> {
    const subject = this.subject(id);
    const cached = this.cache.get(subject);
    const events = await this.store.read(subject, cached?.lastSeq ?? 0);
    let loaded: Loaded<State> = cached ?? this.initial();
    for (const { envelope, seq } of events) {
      loaded = {
        state: this.decider.evolve(loaded.state, envelope as unknown as Event),
        version: envelope.aggregateVersion,
        lastSeq: seq,
        updatedAt: envelope.occurredAt,
      };
    }
    this.remember(subject, loaded);
    return loaded;
  }

  /** An aggregate with no events yet. */
  private initial(): Loaded<State> {
    return { state: this.decider.initialState(), version: 0, lastSeq: 0, updatedAt: undefined };
  }

  /** Everything that happened to the aggregate, in order, with each event's metadata. */
  async events(id: string): Promise<Envelope<Event>[]> {
    const stored = await this.store.read(this.subject(id));
    return stored.map(({ envelope }) => envelope as Envelope<Event>);
  }

  /**
   * Decides and appends, one command at a time per aggregate in this process: commands that
   * would only conflict with each other wait their turn instead of retrying against each other.
   * Other processes' writes are caught by the append's sequence check.
   */
  handle(id: string, command: Command, cause: Cause): Promise<Handled<State>> {
    const subject = this.subject(id);
    const turn = (this.turns.get(subject) ?? Promise.resolve()).then(() =>
      this.decideAndAppend(subject, id, command, cause),
    );
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(subject, settled);
    void settled.then(() => {
      if (this.turns.get(subject) === settled) this.turns.delete(subject);
    });
    return turn;
  }

  private async decideAndAppend(
    subject: string,
    id: string,
    command: Command,
    cause: Cause,
  ): Promise<Handled<State>> {
    for (let attempt = 1; ; attempt++) {
      // The first attempt decides without asking the log: from the cached fold, or for an
      // aggregate this process has not seen, as a new one (most are: an order, its reservation,
      // its payment). An append from a stale or wrongly assumed state is refused by its sequence
      // check. Deciding nothing, or refusing, is not checked by anything, so such a decision from
      // an unchecked state is made again from the log first.
      const cached = attempt === 1 ? this.cache.get(subject) : undefined;
      const assumed = attempt === 1 && cached === undefined;
      const loaded = cached ?? (assumed ? this.initial() : await this.load(id));
      let events: readonly Event[];
      try {
        events = this.decider.decide(command, loaded.state);
      } catch (error) {
        if (attempt === 1) continue;
        throw error;
      }
      if (events.length === 0) {
        if (attempt === 1) continue;
        const { state, version, updatedAt } = loaded;
        return { state, version, updatedAt, appended: [] };
      }
      const envelopes = events.map((event, index) =>
        this.envelope(subject, id, event, loaded.version + index + 1, cause),
      );
      try {
        const lastSeq = await this.store.append(subject, envelopes, loaded.lastSeq, {
          unread: assumed,
        });
        const state = events.reduce(this.decider.evolve, loaded.state);
        const version = loaded.version + events.length;
        const updatedAt = cause.now.toISOString();
        this.remember(subject, { state, version, lastSeq, updatedAt });
        this.options.observe?.(envelopes);
        return { state, version, updatedAt, appended: envelopes };
      } catch (error) {
        this.cache.delete(subject);
        if (!(error instanceof ConcurrencyConflict) || attempt >= this.maxAttempts) throw error;
      }
    }
  }

  private envelope(
    subject: string,
    aggregateId: string,
    event: Event,
    aggregateVersion: number,
    cause: Cause,
  ): Envelope {
    return {
      // Derived from the cause and the decision: the same cause deciding the same thing
      // republishes the same id. A different decision needs a different id: JetStream drops a
      // known id as a duplicate before its sequence check could refuse the stale append.
      id: deterministicId(
        `${cause.causationId}/${subject}/${aggregateVersion}/${JSON.stringify(event)}`,
      ),
      type: event.type,
      version: catalog[event.type].version,
      occurredAt: cause.now.toISOString(),
      aggregateId,
      aggregateVersion,
      correlationId: cause.correlationId,
      causationId: cause.causationId,
      causationType: cause.causationType,
      data: event.data,
    } as Envelope;
  }

  private remember(subject: string, loaded: Loaded<State>): void {
    this.cache.delete(subject);
    this.cache.set(subject, loaded);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }
}
