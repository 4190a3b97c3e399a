import { createLogger } from '@orderflow/runtime';
import type { ExecutionResult } from 'graphql';
import { EventFeed } from '../../src/subscriptions/event-feed';
import type { UpstreamEvent } from '../../src/subscriptions/upstream';

const event = (n: number): UpstreamEvent => ({ data: { n } });

/** Everything the client would read, up to the end of the subscription. */
const readAll = async (feed: EventFeed) => {
  const read: ExecutionResult[] = [];
  for await (const result of feed.results) read.push(result);
  return read;
};

const codes = (results: ExecutionResult[]) =>
  results.map((result) => result.errors?.[0]?.extensions.code ?? result.data?.n);

describe('one client’s subscription feed', () => {
  const logged: string[] = [];
  const log = createLogger({}, 'info', (line) => logged.push(line));
  let closed = 0;
  let unsent = 0;
  const feedOf = (complete: (event: UpstreamEvent) => Promise<ExecutionResult>, maxBacklog = 100) =>
    new EventFeed({
      complete,
      maxBacklog,
      unsent: () => unsent,
      maxUnsentBytes: 1_000,
      pace: async () => undefined,
      onClose: () => closed++,
      log,
    });
  beforeEach(() => {
    closed = 0;
    unsent = 0;
    logged.length = 0;
  });

  it('delivers results in the order the events came, however long each takes to complete', async () => {
    const feed = feedOf(async (e) => {
      const n = (e.data as { n: number }).n;
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 30 : 0));
      return { data: { n } };
    });
    for (const n of [1, 2, 3]) feed.received(event(n));
    feed.upstreamEnded();

    expect(codes(await readAll(feed))).toEqual([1, 2, 3]);
    expect(closed).toBe(1);
  });

  it('ends with SUBSCRIPTION_EVENT_FAILED when an event cannot be completed, and logs why', async () => {
    const feed = feedOf(async (e) => {
      const n = (e.data as { n: number }).n;
      if (n === 2) throw new Error('the payment subgraph answered nonsense');
      return { data: { n } };
    });
    for (const n of [1, 2, 3]) feed.received(event(n));

    expect(codes(await readAll(feed))).toEqual([1, 'SUBSCRIPTION_EVENT_FAILED']);
    expect(closed).toBe(1);
    expect(logged.join('\n')).toMatch(/could not complete a subscription event.*answered nonsense/);
  });

  it('ends a client that falls maxBacklog events behind with SUBSCRIPTION_TOO_SLOW, holding no more', async () => {
    const feed = feedOf(async (e) => ({ data: e.data }), 3);
    for (let n = 1; n <= 10; n++) feed.received(event(n));

    expect(codes(await readAll(feed))).toEqual(['SUBSCRIPTION_TOO_SLOW']);
    expect(feed.results.size).toBe(0);
    expect(closed).toBe(1);
  });

  it('ends a client whose socket holds more than maxUnsentBytes with SUBSCRIPTION_TOO_SLOW', async () => {
    const feed = feedOf(async (e) => ({ data: e.data }));
    feed.received(event(1));
    expect((await feed.results.next()).value).toEqual({ data: { n: 1 } });
    unsent = 1_001;
    feed.received(event(2));

    expect(codes(await readAll(feed))).toEqual(['SUBSCRIPTION_TOO_SLOW']);
    expect(logged.join('\n')).toMatch(/fell too far behind.*"unsent":1001/);
  });

  it('completes nothing more once the client has left', async () => {
    const completed: number[] = [];
    const feed = feedOf(async (e) => {
      const n = (e.data as { n: number }).n;
      completed.push(n);
      await new Promise((resolve) => setImmediate(resolve));
      return { data: { n } };
    });
    for (const n of [1, 2, 3, 4]) feed.received(event(n));

    expect((await feed.results.next()).value).toEqual({ data: { n: 1 } });
    await feed.results.return();
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(completed.length).toBeLessThanOrEqual(2);
    expect(closed).toBe(1);
  });

  it('passes on the upstream’s failure after the events that came before it', async () => {
    const feed = feedOf(async (e) => ({ data: e.data }));
    feed.received(event(1));
    feed.upstreamEnded({ errors: [] });
    feed.received(event(2));

    expect(await readAll(feed)).toEqual([{ data: { n: 1 } }, { errors: [] }]);
  });
});
