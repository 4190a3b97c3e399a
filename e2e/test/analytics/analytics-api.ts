import { aggregateFilter } from '@orderflow/contracts';
import { bearer, subscribe, waitFor, type Subscription } from '@orderflow/stack';
import { isDeepStrictEqual } from 'node:util';
import { scrape, sumOf } from '../support/prometheus';

/** The analytics operations, as an admin's dashboard would ask them through the gateway. */
const SNAPSHOT = `from to minutes ordersPlaced ordersPerMinute ordersCompleted ordersFailed failureRate
  failures { step reason count }
  revenue { currency total perMinute }
  sagaDuration { count p50 p95 p99 }
  inFlight { status count }
  topProducts { sku units revenue { amount currency } }
  consumerLag { consumer stream pending lagMs }
  lateEvents { processor late }
  watermark
  rejectedEvents funnel { productViews addedToCart checkoutsStarted } repairs { count meanMs }`;

const RULE = `id name metric comparison threshold windowMs pendingMs hysteresis state since
  history { ruleId from to value at }`;

export const analytics = {
  metrics: `query ($window: MetricsWindow) { metrics(window: $window) { ${SNAPSHOT} } }`,
  metricSeries: `query ($metric: Metric!, $from: String!, $to: String!, $bucket: Bucket, $groupBy: Boolean, $group: String) {
    metricSeries(metric: $metric, from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, group: $group) {
      bucket group count sum p50 p95 p99
    }
  }`,
  alertRules: `query { alertRules { ${RULE} } }`,
  alertRule: `query ($id: ID!) { alertRule(id: $id) { ${RULE} } }`,
  createAlertRule: `mutation ($input: AlertRuleInput!) { createAlertRule(input: $input) { ${RULE} } }`,
  changeAlertRule: `mutation ($input: AlertRuleInput!) { changeAlertRule(input: $input) { ${RULE} } }`,
  deleteAlertRule: `mutation ($id: ID!) { deleteAlertRule(id: $id) }`,
  metricsUpdated: `subscription ($window: MetricsWindow) { metricsUpdated(window: $window) { ${SNAPSHOT} } }`,
  alertStateChanged: `subscription ($ruleId: ID) { alertStateChanged(ruleId: $ruleId) { ruleId from to value at } }`,
} as const;

export interface Snapshot {
  from: string;
  to: string;
  minutes: number;
  ordersPlaced: number;
  ordersPerMinute: number;
  ordersCompleted: number;
  ordersFailed: number;
  failureRate: number;
  failures: { step: string; reason: string; count: number }[];
  revenue: { currency: string; total: number; perMinute: number }[];
  sagaDuration: { count: number; p50: number | null; p95: number | null; p99: number | null };
  inFlight: { status: string; count: number }[];
  topProducts: { sku: string; units: number; revenue: { amount: number; currency: string }[] }[];
  consumerLag: { consumer: string; stream: string; pending: number; lagMs: number }[];
  lateEvents: { processor: string; late: number }[];
  rejectedEvents: number;
  repairs: { count: number; meanMs: number | null };
  funnel: { productViews: number; addedToCart: number; checkoutsStarted: number };
  watermark: string | null;
}

export interface Point {
  bucket: string;
  group: string | null;
  count: number;
  sum: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Transition {
  ruleId: string;
  from: string;
  to: string;
  value: number;
  at: string;
}

export interface Rule {
  id: string;
  name: string;
  metric: string;
  comparison: string;
  threshold: number;
  windowMs: number;
  pendingMs: number;
  hysteresis: number;
  state: string;
  since: string;
  history: Transition[];
}

export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

/** An answer over HTTP: its status and its body, errors and all. */
export interface Answer<T> {
  status: number;
  data: T | null | undefined;
  errors: GraphQLError[];
}

/** POSTs one operation to the gateway as whoever `token` names (nobody when undefined). */
export const ask = async <T = Record<string, unknown>>(
  gatewayUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer<T>> => {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLError[] };
  return { status: response.status, data: body.data, errors: body.errors ?? [] };
};

/** Like ask(), for callers that expect an answer without errors. */
export const data = async <T>(
  gatewayUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> => {
  const answer = await ask<T>(gatewayUrl, token, query, variables);
  if (answer.errors.length > 0 || !answer.data) {
    throw new Error(`${answer.status}: ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
};

/**
 * The value as data: fetch() parses bodies outside jest's sandbox, so their objects have another
 * Object.prototype than the test's, which a strict deep comparison would tell apart.
 */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/**
 * Reads until `read` answers what `expected` says, or the deadline passes; either way returns the
 * last answer, so the caller's expect() shows the difference when it never settled.
 */
export const settling = async <T>(
  description: string,
  read: () => Promise<T>,
  expected: (value: T) => unknown,
  want: unknown,
  timeoutMs = 20_000,
): Promise<T> => {
  let last: T | undefined;
  try {
    await waitFor(
      description,
      async () => {
        last = await read();
        return isDeepStrictEqual(plain(expected(last)), plain(want));
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    if (last === undefined) throw error;
  }
  return last as T;
};

/** Adds a series' points up per group ('' for the total): what a chart of it would sum to. */
export const totalsByGroup = (points: readonly Point[]) => {
  const totals: Record<string, { count: number; sum: number }> = {};
  for (const point of points) {
    const group = point.group ?? '';
    const total = (totals[group] ??= { count: 0, sum: 0 });
    total.count += point.count;
    total.sum += point.sum;
  }
  return totals;
};

/** A subscription whose payloads are each stamped with the time they arrived. */
export interface Stamped<T> {
  readonly subscription: Subscription<T>;
  /** Date.now() when each payload was seen, by its index. */
  readonly arrivals: readonly number[];
  close(): Promise<void>;
}

/** Subscribes and watches the payloads arrive every 2 ms, to time them. */
export const stampedSubscription = <T>(
  gatewayUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Stamped<T> => {
  const subscription = subscribe<T>(gatewayUrl, query, variables, {
    authorization: `Bearer ${token}`,
  });
  const arrivals: number[] = [];
  const timer = setInterval(() => {
    while (arrivals.length < subscription.received.length) arrivals.push(Date.now());
  }, 2);
  return {
    subscription,
    arrivals,
    close: async () => {
      clearInterval(timer);
      await subscription.close();
    },
  };
};

/**
 * How many live followers of the alert rules' log the analytics service holds: one per upstream
 * alertStateChanged subscription (an ordered consumer delivering new events only).
 */
/** Upstream alertStateChanged subscriptions: they share one consumer; analytics counts them. */
export const alertFollowers = async (analyticsUrl: string) =>
  sumOf(await scrape(analyticsUrl), 'orderflow_live_followers', {
    filter: aggregateFilter('analytics', 'alert-rule'),
  });
