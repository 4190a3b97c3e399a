import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** /proc counts CPU time in clock ticks, usually 100 a second; getconf says for sure. */
const ticksPerSecond = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** CPU time a process has used so far (user + system: utime and stime of /proc/<pid>/stat), ms. */
export const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command (2nd field) is in parentheses and may hold spaces: count from the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
};

/** The CPU time of several processes together, ms. */
export const totalCpuMs = (pids: readonly number[]): number =>
  pids.reduce((sum, pid) => sum + cpuMs(pid), 0);

/** Resident memory of a process (VmRSS of /proc/<pid>/status), bytes. */
export const rssBytes = (pid: number): number => {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status: has it exited?`);
  return Number(match[1]) * 1024;
};

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
