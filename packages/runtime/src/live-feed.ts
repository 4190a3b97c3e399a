import type { EventFeed, StoredEvent } from './event-store';
import { gauge } from './metrics';

/** Events a follower may have waiting before it is ended: a reader that stopped reading. */
const MAX_WAITING = 10_000;

const followers = gauge({
  name: 'orderflow_live_followers',
  help: 'Followers of each shared live feed (subscriptions to many aggregates), one consumer each feed',
  labelNames: ['filter'],
});

/** A follower of a shared live feed that fell so far behind that it was let go. */
export class FellBehind extends Error {
  override readonly name = 'FellBehind';
  constructor(waiting: number) {
    super(`fell ${waiting} events behind the live feed; follow again`);
  }
}

/** The shared feed ended without being closed: its consumer failed, or the stream went away. */
class FeedEnded extends Error {
  override readonly name = 'FeedEnded';
  constructor(cause: unknown) {
    super('the live feed ended', { cause });
  }
}

interface Session {
  readonly source: Promise<EventFeed>;
  readonly followers: Set<Follower>;
  closing: boolean;
}

/**
 * What comes next on one filter, read once for every follower that wants only that. Followers
 * that each opened a feed of their own would cost the stream a consumer each, and each event a
 * delivery and a decode per follower: a thousand customers watching their orders would make every
 * order event a thousand deliveries. The feed is opened with the first follower and closed with
 * the last. A follower gets what the feed delivers after it joined, in the feed's order; one that
 * stops reading is ended (`FellBehind`) rather than held in memory without bound, and when the
 * feed itself fails, every follower ends with the failure.
 */
export class SharedLiveFeed {
  private current: Session | undefined;

  /**
   * `open` opens the feed of what comes next; `position` tells the stream's last sequence, so that
   * a follower joining a feed already open gets only what is stored after it joined, as it would
   * from a feed of its own.
   */
  constructor(
    private readonly filter: string,
    private readonly open: () => Promise<EventFeed>,
    private readonly position: () => Promise<number>,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** A feed of the events stored from now on; close() leaves without ending anyone else's. */
  async follow(): Promise<EventFeed> {
    const session = this.current ?? this.start();
    const follower: Follower = new Follower(this.maxWaiting, () => this.leave(session, follower));
    // Joined before the position is asked, so nothing stored after it can be missed.
    session.followers.add(follower);
    followers.inc({ filter: this.filter });
    try {
      await session.source;
      follower.skipThrough(await this.position());
    } catch (error) {
      if (session.followers.delete(follower)) followers.dec({ filter: this.filter });
      throw error;
    }
    return follower;
  }

  private start(): Session {
    const session: Session = { source: this.open(), followers: new Set(), closing: false };
    this.current = session;
    void session.source.then(
      (feed) => this.pump(session, feed),
      () => this.forget(session),
    );
    return session;
  }

  private async pump(session: Session, feed: EventFeed): Promise<void> {
    let failure: unknown = undefined;
    try {
      for await (const event of feed) {
        for (const follower of session.followers) follower.push(event);
      }
    } catch (error) {
      failure = error;
    }
    this.forget(session);
    if (session.closing) return;
    for (const follower of session.followers) follower.fail(new FeedEnded(failure));
    followers.dec({ filter: this.filter }, session.followers.size);
    session.followers.clear();
    await feed.close().catch(() => undefined);
  }

  private async leave(session: Session, follower: Follower): Promise<void> {
    if (!session.followers.delete(follower)) return;
    followers.dec({ filter: this.filter });
    if (session.followers.size > 0 || session.closing) return;
    session.closing = true;
    this.forget(session);
    const feed = await session.source.catch(() => undefined);
    // A follower may leave from within the pump (one that fell behind), where nobody awaits
    // this; a consumer that cannot be deleted now (the connection is down) is ephemeral, and
    // the server drops it once it is inactive.
    await feed?.close().catch(() => undefined);
  }

  private forget(session: Session): void {
    if (this.current === session) this.current = undefined;
  }
}

/** One follower's events, waiting to be read. */
class Follower implements EventFeed {
  private waiting: StoredEvent[] = [];
  /** Events up to this sequence were stored before the follower joined. */
  private floor = 0;
  private wake: (() => void) | undefined;
  private ended: { readonly error?: unknown } | undefined;

  constructor(
    private readonly maxWaiting: number,
    private readonly leave: () => Promise<void>,
  ) {}

  skipThrough(seq: number): void {
    this.floor = seq;
    this.waiting = this.waiting.filter((event) => event.seq > seq);
  }

  push(event: StoredEvent): void {
    if (this.ended !== undefined || event.seq <= this.floor) return;
    if (this.waiting.length >= this.maxWaiting) {
      this.fail(new FellBehind(this.waiting.length));
      void this.leave();
      return;
    }
    this.waiting.push(event);
    this.wakeReader();
  }

  fail(error: unknown): void {
    this.ended ??= { error };
    this.wakeReader();
  }

  async close(): Promise<void> {
    this.ended ??= {};
    this.waiting.length = 0;
    this.wakeReader();
    await this.leave();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    for (;;) {
      const event = this.waiting.shift();
      if (event !== undefined) {
        yield event;
        continue;
      }
      if (this.ended !== undefined) {
        if ('error' in this.ended) throw this.ended.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
