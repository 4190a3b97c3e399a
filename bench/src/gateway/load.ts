import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One GraphQL operation as autocannon sends it: a POST of a fixed body with fixed headers. */
export interface Target {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly connections: number;
}

/** What one or more timed runs against a target measured. */
export interface Load {
  readonly seconds: number;
  /** Client-side latency of every response, in ms. */
  readonly latencies: readonly number[];
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly non2xx: number;
  /** 2xx responses without data or with GraphQL errors. */
  readonly graphqlErrors: number;
}

export const emptyLoad: Load = {
  seconds: 0,
  latencies: [],
  errors: 0,
  non2xx: 0,
  graphqlErrors: 0,
};

export const addLoads = (a: Load, b: Load): Load => ({
  seconds: a.seconds + b.seconds,
  latencies: [...a.latencies, ...b.latencies],
  errors: a.errors + b.errors,
  non2xx: a.non2xx + b.non2xx,
  graphqlErrors: a.graphqlErrors + b.graphqlErrors,
});

// A cheap look at the text: parsing every body would make the load generator the bottleneck.
const answered = (body: string | Buffer | undefined) => {
  const text = typeof body === 'string' ? body : String(body);
  return text.includes('"data":{') && !text.includes('"errors":');
};

/**
 * Closed-loop load for `seconds`: each connection sends its next request when its last answer
 * arrived. Latencies are collected per response rather than read from autocannon's histogram,
 * so that the runs of a cell can be merged and sub-millisecond figures keep their decimals.
 */
export const runLoad = (target: Target, seconds: number): Promise<Load> =>
  new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
        connections: target.connections,
        duration: seconds,
        verifyBody: answered,
      },
      (error: unknown, result) => {
        if (error !== null && error !== undefined) {
          reject(
            error instanceof Error ? error : new Error(`autocannon: ${JSON.stringify(error)}`),
          );
          return;
        }
        resolve({
          seconds: result.duration,
          latencies,
          errors: result.errors,
          non2xx: result.non2xx,
          graphqlErrors: result.mismatches,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux only;
 * undefined elsewhere or once the process is gone). Its resolution is one clock tick, 10 ms.
 */
export const cpuMs = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
};

/** The CPU ms a set of processes used together, or undefined when any cannot be read. */
export const totalCpuMs = (pids: readonly (number | undefined)[]): number | undefined => {
  let total = 0;
  for (const pid of pids) {
    const ms = cpuMs(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
};
