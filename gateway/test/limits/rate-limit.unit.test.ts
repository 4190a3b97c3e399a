import type { IncomingMessage } from 'node:http';
import { clientKey, rateLimiter, TokenBuckets } from '../../src/limits/rate-limit';

const request = (headers: Record<string, string>, remoteAddress = '10.0.0.1') =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

/** Takes `count` tokens for `key` at `now`, returning what each take answered. */
const takeMany = (buckets: TokenBuckets, key: string, count: number, now: number) =>
  Array.from({ length: count }, () => buckets.take(key, now));

describe('the token buckets', () => {
  // 60 a minute: one token a second.
  const settings = { perMinute: 60, burst: 3 };

  it('admit a burst, then refuse with the seconds until the next token', () => {
    const buckets = new TokenBuckets(settings);
    expect(takeMany(buckets, 'a', 4, 0)).toEqual([undefined, undefined, undefined, 1]);
  });

  it('refill at the per-minute rate, never beyond the burst', () => {
    const buckets = new TokenBuckets(settings);
    takeMany(buckets, 'a', 3, 0);
    expect(takeMany(buckets, 'a', 2, 1_000)).toEqual([undefined, 1]);
    expect(takeMany(buckets, 'a', 4, 60_000)).toEqual([undefined, undefined, undefined, 1]);
  });

  it('round the wait up to whole seconds', () => {
    const buckets = new TokenBuckets({ perMinute: 6, burst: 1 });
    expect(takeMany(buckets, 'a', 2, 0)).toEqual([undefined, 10]);
    expect(buckets.take('a', 500)).toBe(10);
    expect(buckets.take('a', 9_500)).toBe(1);
  });

  it('keep one bucket per client', () => {
    const buckets = new TokenBuckets(settings);
    takeMany(buckets, 'a', 3, 0);
    expect(buckets.take('b', 0)).toBeUndefined();
    expect(buckets.take('a', 0)).toBe(1);
  });

  it('forget clients idle long enough to be full again', () => {
    const buckets = new TokenBuckets(settings);
    for (let i = 0; i < 1000; i++) buckets.take(`client ${i}`, 0);
    expect(buckets.size).toBe(1000);
    // Three tokens at one a second: after 3 s every bucket is full, the same as none.
    buckets.take('late', 3_000);
    expect(buckets.size).toBe(1);
  });

  it('hold at most maxClients, forgetting the longest idle first', () => {
    const buckets = new TokenBuckets(settings, 2);
    takeMany(buckets, 'a', 3, 0);
    buckets.take('b', 1);
    buckets.take('c', 2);
    expect(buckets.size).toBe(2);
    expect(buckets.take('a', 3)).toBeUndefined();
  });

  it('past maxClients, forget the longest idle tenth at once', () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 1 }, 20);
    for (let i = 0; i < 21; i++) buckets.take(`client ${i}`, i);
    expect(buckets.size).toBe(18);
    // The three longest idle start afresh; the others still wait for their next token.
    expect(buckets.take('client 2', 21)).toBeUndefined();
    expect(buckets.take('client 3', 21)).toBe(1);
  });

  it('look for idle buckets at most once a second, so that looking stays cheap', () => {
    // One token a millisecond: a bucket is full again 1 ms after its last take.
    const buckets = new TokenBuckets({ perMinute: 60_000, burst: 1 });
    buckets.take('a', 0);
    buckets.take('b', 5);
    expect(buckets.size).toBe(2);
    buckets.take('c', 1_000);
    expect(buckets.size).toBe(1);
  });
});

describe('the rate limiter', () => {
  it('refuses with 429, Retry-After and a RATE_LIMITED error a person can act on', async () => {
    const admit = rateLimiter({ perMinute: 6, burst: 1 }, () => 'one client');
    expect(await admit(request({}))).toBeUndefined();
    expect(await admit(request({}))).toEqual({
      status: 429,
      headers: { 'retry-after': '10' },
      body: {
        errors: [
          {
            message: 'rate limit of 6 requests per minute exceeded; retry in 10 s',
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      },
    });
  });

  it('keys clients on their Authorization header, hashed, else on their address', async () => {
    const token = clientKey(request({ authorization: 'Bearer secret' }));
    expect(token).toMatch(/^token:/);
    expect(token).not.toContain('secret');
    expect(clientKey(request({ authorization: 'Bearer secret' }, '10.0.0.2'))).toBe(token);
    expect(clientKey(request({}, '10.0.0.2'))).toBe('ip:10.0.0.2');
  });
});
