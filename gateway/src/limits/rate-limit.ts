import type { HttpRefusal } from '@orderflow/runtime';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RateLimitSettings } from './settings';

/** Names the client a request counts against. */
export type ClientKey = (request: IncomingMessage) => string | Promise<string>;

/**
 * The caller's Authorization header when it sends one, else its IP address. Until the token is
 * verified a caller can vary the header to get fresh buckets; key on the verified viewer then.
 */
export const clientKey: ClientKey = (request) => {
  const authorization = request.headers.authorization;
  // Hashed: every key has the same small size, and the buckets never hold a credential.
  if (authorization)
    return `token:${createHash('sha256').update(authorization).digest('base64url')}`;
  return `ip:${request.socket.remoteAddress ?? 'unknown'}`;
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Dropping idle buckets waits at least this long after the last time: see TokenBuckets.sweep. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Token buckets, one per client: each holds up to `burst` tokens, refills at `perMinute` a minute,
 * and every request takes one. Memory stays bounded: a bucket idle long enough to be full again is
 * the same as no bucket, so it is dropped, and past `maxClients` the longest idle go first.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly refillMs: number;
  /** Past `maxClients`, the longest idle are dropped until this many are left. */
  private readonly lowWater: number;
  /** Before this time no bucket can have been idle for `refillMs`: no sweep is needed. */
  private sweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly maxClients = 100_000,
  ) {
    this.perMs = settings.perMinute / 60_000;
    this.refillMs = settings.burst / this.perMs;
    this.lowWater = maxClients - Math.floor(maxClients / 10);
  }

  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes a token for `key` at `now` (milliseconds on a clock that never goes back): undefined when
   * there was one, else the whole seconds until there is.
   */
  take(key: string, now: number): number | undefined {
    const bucket = this.buckets.get(key);
    const tokens = bucket
      ? Math.min(this.settings.burst, bucket.tokens + (now - bucket.at) * this.perMs)
      : this.settings.burst;
    // Re-inserted, so the map's insertion order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens >= 1 ? tokens - 1 : tokens, at: now });
    if (now >= this.sweepAt || this.buckets.size > this.maxClients) this.sweep(now);
    return tokens >= 1 ? undefined : Math.ceil((1 - tokens) / this.perMs / 1000);
  }

  /**
   * Drops the buckets idle for `refillMs`, and past `maxClients` the longest idle down to
   * `lowWater`, from the front of the map. A Map walked from its front passes every entry deleted
   * since V8 last compacted it, up to as many as it holds clients (measured: ~60 µs a walk at
   * 100,000), so it is walked only when something is due: at most once a second for idle buckets,
   * and once per tenth of `maxClients` new clients past it.
   */
  private sweep(now: number): void {
    const over = this.buckets.size > this.maxClients;
    for (const [key, bucket] of this.buckets) {
      const idle = now - bucket.at >= this.refillMs;
      if (!idle && !(over && this.buckets.size > this.lowWater)) {
        this.sweepAt = Math.max(bucket.at + this.refillMs, now + SWEEP_INTERVAL_MS);
        return;
      }
      this.buckets.delete(key);
    }
    this.sweepAt = now + Math.max(this.refillMs, SWEEP_INTERVAL_MS);
  }
}

/**
 * Admits each request that finds a token in its client's bucket and refuses the rest with 429, a
 * `Retry-After` and a GraphQL error body, before the body is read or any GraphQL work starts.
 */
export const rateLimiter = (
  settings: RateLimitSettings,
  key: ClientKey = clientKey,
): ((request: IncomingMessage) => Promise<HttpRefusal | undefined>) => {
  const buckets = new TokenBuckets(settings);
  return async (request) => {
    const retryAfter = buckets.take(await key(request), performance.now());
    if (retryAfter === undefined) return undefined;
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfter) },
      body: {
        errors: [
          {
            message: `rate limit of ${settings.perMinute} requests per minute exceeded; retry in ${retryAfter} s`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      },
    };
  };
};
