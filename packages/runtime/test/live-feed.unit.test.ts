import type { EventFeed, StoredEvent } from '../src';
import { FellBehind, SharedLiveFeed } from '../src/live-feed';
import { stockAdjusted } from './harness';

/** A feed the test writes to: what one ordered consumer would deliver. */
class ScriptedFeed implements EventFeed {
  readonly delivered: StoredEvent[] = [];
  closed = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  seq = 0;

  deliver(count = 1): void {
    for (let i = 0; i < count; i++) {
      this.delivered.push({ envelope: stockAdjusted('SKU-1'), seq: ++this.seq });
    }
    this.wake?.();
  }

  fail(error: Error): void {
    this.failure = error;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    let next = 0;
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.closed) return;
      const event = this.delivered[next];
      if (event !== undefined) {
        next++;
        yield event;
      } else {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    }
  }
}

/** Every source the shared feed opened, newest last, and the stream's last sequence. */
const scripted = () => {
  const opened: ScriptedFeed[] = [];
  const open = jest.fn(async () => {
    const feed = new ScriptedFeed();
    opened.push(feed);
    return feed;
  });
  const position = async () => opened.at(-1)?.seq ?? 0;
  return { opened, open, position };
};

/** The seqs a follower receives until `count` have come (or it ends). */
const take = async (feed: EventFeed, count: number): Promise<number[]> => {
  const seqs: number[] = [];
  if (count === 0) return seqs;
  for await (const event of feed) {
    seqs.push(event.seq);
    if (seqs.length === count) break;
  }
  return seqs;
};

/** Lets the shared feed hand out what its source delivered. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedLiveFeed: one feed of what comes next for every follower', () => {
  it('opens one source for many followers, and gives each what came after it joined', async () => {
    const { opened, open, position } = scripted();
    const live = new SharedLiveFeed('test.*', open, position);
    const first = await live.follow();
    opened[0]!.deliver(2);
    await turn();
    const second = await live.follow();
    opened[0]!.deliver(2);

    expect(await take(first, 4)).toEqual([1, 2, 3, 4]);
    expect(await take(second, 2)).toEqual([3, 4]);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('gives a follower that joins an open feed nothing stored before it joined', async () => {
    const { opened, open } = scripted();
    let stored = 0;
    const live = new SharedLiveFeed('test.*', open, async () => stored);
    const first = await live.follow();
    // Two events stored, still on their way to the feed when the second follower joins.
    stored = 2;
    const second = await live.follow();
    opened[0]!.deliver(3);

    expect(await take(first, 3)).toEqual([1, 2, 3]);
    expect(await take(second, 1)).toEqual([3]);
  });

  it('closes its source with the last follower, and opens a new one for the next', async () => {
    const { opened, open, position } = scripted();
    const live = new SharedLiveFeed('test.*', open, position);
    const first = await live.follow();
    const second = await live.follow();

    await first.close();
    opened[0]!.deliver();
    expect(await take(second, 1)).toEqual([1]);
    expect(opened[0]!.closed).toBe(false);

    await second.close();
    expect(opened[0]!.closed).toBe(true);

    const third = await live.follow();
    opened[1]!.deliver();
    expect(await take(third, 1)).toEqual([1]);
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('lets go of a follower that stops reading, and keeps feeding the others', async () => {
    const { opened, open, position } = scripted();
    const live = new SharedLiveFeed('test.*', open, position, 3);
    const stalled = await live.follow();
    const reading = await live.follow();

    opened[0]!.deliver(5);
    expect(await take(reading, 5)).toEqual([1, 2, 3, 4, 5]);

    await expect(take(stalled, 10)).rejects.toBeInstanceOf(FellBehind);
    opened[0]!.deliver();
    expect(await take(reading, 1)).toEqual([6]);
  });

  it('ends every follower when its source fails, and opens a fresh one for the next', async () => {
    const { opened, open, position } = scripted();
    const live = new SharedLiveFeed('test.*', open, position);
    const followers = [await live.follow(), await live.follow()];

    opened[0]!.fail(new Error('consumer deleted'));

    for (const follower of followers) {
      await expect(take(follower, 1)).rejects.toThrow('the live feed ended');
    }
    const next = await live.follow();
    opened[1]!.deliver();
    expect(await take(next, 1)).toEqual([1]);
  });

  it('lets its last follower leave when the source cannot be closed', async () => {
    const { opened, open, position } = scripted();
    const live = new SharedLiveFeed('test.*', open, position);
    const follower = await live.follow();
    opened[0]!.close = () => Promise.reject(new Error('connection closed'));

    await expect(follower.close()).resolves.toBeUndefined();
  });

  it('fails a follow whose source cannot be opened, and tries again on the next', async () => {
    const open = jest
      .fn<Promise<EventFeed>, []>()
      .mockRejectedValueOnce(new Error('stream not found'))
      .mockResolvedValueOnce(new ScriptedFeed());
    const live = new SharedLiveFeed('test.*', open, async () => 0);

    await expect(live.follow()).rejects.toThrow('stream not found');
    await expect(live.follow()).resolves.toBeDefined();
    expect(open).toHaveBeenCalledTimes(2);
  });
});
