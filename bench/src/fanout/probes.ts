import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMs, rssBytes } from '../proc';

export interface Memory {
  /** VmRSS, the median of the reads: it moves by a few hundred kB between reads. */
  readonly rss: number;
  /**
   * V8's heap in use (the gateway's nodejs_heap_size_used_bytes), the least of the reads: garbage
   * counts until a collection, and RSS keeps what an earlier run grew the heap to.
   */
  readonly heapUsed: number;
}

export const steadyMemory = async (
  gatewayUrl: string,
  pid: number,
  reads = 5,
  apartMs = 200,
): Promise<Memory> => {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < reads; i++) {
    if (i > 0) await sleep(apartMs);
    rss.push(rssBytes(pid));
    heap.push((await gatewayGauges(gatewayUrl)).heapUsed);
  }
  return {
    rss: rss.sort((a, b) => a - b)[Math.floor(rss.length / 2)]!,
    heapUsed: Math.min(...heap),
  };
};

export interface GatewayGauges {
  /** Client subscriptions open on the gateway. */
  readonly subscriptions: number;
  /** Events received for client subscriptions and not read by their clients yet, in all. */
  readonly backlog: number;
  /** V8's heap in use, bytes (prom-client's default process metrics). */
  readonly heapUsed: number;
}

const gaugeValue = (text: string, name: string): number => {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return match === null ? Number.NaN : Number(match[1]);
};

/** The gateway's subscription gauges (event-feed.ts) and heap, from its /metrics. */
export const gatewayGauges = async (gatewayUrl: string): Promise<GatewayGauges> => {
  const response = await fetch(new URL('/metrics', gatewayUrl));
  const text = await response.text();
  return {
    subscriptions: gaugeValue(text, 'orderflow_gateway_subscriptions'),
    backlog: gaugeValue(text, 'orderflow_gateway_subscription_backlog'),
    heapUsed: gaugeValue(text, 'nodejs_heap_size_used_bytes'),
  };
};

/** Polls `done` every `everyMs` until it holds (true) or `deadline` (Date.now() ms) passes (false). */
export const waitUntil = async (
  done: () => boolean | Promise<boolean>,
  deadline: number,
  everyMs = 100,
): Promise<boolean> => {
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
};

/**
 * Waits until the gateway holds no subscription and uses less than `idleShare` of a core over
 * a second, or until `deadline`; returns how long that took, in seconds, and whether it happened.
 */
export const gatewayQuiet = async (
  gatewayUrl: string,
  pid: number,
  deadline: number,
  idleShare = 0.05,
): Promise<{ seconds: number; quiet: boolean; lastShare: number }> => {
  const began = Date.now();
  let lastShare = Number.NaN;
  for (;;) {
    const before = cpuMs(pid);
    await sleep(1000);
    lastShare = (cpuMs(pid) - before) / 1000;
    const { subscriptions } = await gatewayGauges(gatewayUrl);
    const quiet = subscriptions === 0 && lastShare < idleShare;
    if (quiet || Date.now() >= deadline) {
      return { seconds: (Date.now() - began) / 1000, quiet, lastShare };
    }
  }
};
