import autocannon from 'autocannon';

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
