import { alertRuleInput, RULES } from '../fixtures';
import { at, both, field, type Ask, type Row } from './row';

/*
 * The analytics subgraph's operations: every one but ingestEvents is for admins only, and none
 * is about an order, so each row is `own` and asks the same whoever the caller is. The rules they
 * touch are RULES of the fixtures, one per row, so that no outcome depends on the order the rows
 * run in.
 */

const SNAPSHOT = `from to minutes ordersPlaced ordersPerMinute ordersCompleted ordersFailed failureRate
  failures { step reason count } revenue { currency total perMinute }
  sagaDuration { count p50 p95 p99 } inFlight { status count }
  topProducts { sku units revenue { amount currency } }
  consumerLag { consumer stream pending lagMs } lateEvents { processor late } watermark`;
const RULE = `id name metric comparison threshold windowMs pendingMs hysteresis state since
  history { ruleId from to value at }`;
const HOUR_MS = 3_600_000;

/** A query or mutation asked the same way through the gateway and straight to analytics. */
const analytics = (covers: string, ask: Ask): Row => ({ covers, whose: 'own', ...both(ask) });

const ruleById = (id: string): Ask => ({
  query: `query ($id: ID!) { alertRule(id: $id) { ${RULE} } }`,
  variables: () => ({ id }),
  pick: field('alertRule'),
});
const changeRule = (id: string): Ask => ({
  query: `mutation ($input: AlertRuleInput!) { changeAlertRule(input: $input) { ${RULE} } }`,
  // Another threshold than the fixtures': the first change records one, a repeat changes nothing.
  variables: () => ({ input: { ...alertRuleInput(id, { threshold: 2e9 }), hysteresis: 1 } }),
  pick: field('changeAlertRule'),
});
const deleteRule = (id: string): Ask => ({
  query: `mutation ($id: ID!) { deleteAlertRule(id: $id) }`,
  variables: () => ({ id }),
  pick: field('deleteAlertRule'),
});

/** The rows of the analytics subgraph's operations, by the name the matrix gives each. */
export const analyticsRows: Readonly<Record<string, Row>> = {
  metrics: analytics('Query.metrics', {
    query: `query ($window: MetricsWindow) { metrics(window: $window) { ${SNAPSHOT} } }`,
    variables: () => ({ window: { minutes: 60 } }),
    pick: field('metrics'),
  }),
  metricSeries: analytics('Query.metricSeries', {
    query: `query ($from: String!, $to: String!) {
      metricSeries(metric: ORDERS_PLACED, from: $from, to: $to, bucket: FIVE_MINUTES, groupBy: true) {
        bucket group count sum p50 p95 p99
      }
    }`,
    variables: () => {
      const now = Date.now();
      return {
        from: new Date(now - HOUR_MS).toISOString(),
        to: new Date(now + 60_000).toISOString(),
      };
    },
    pick: field('metricSeries'),
  }),
  alertRules: analytics('Query.alertRules', {
    query: `{ alertRules { ${RULE} } }`,
    variables: () => ({}),
    pick: field('alertRules'),
  }),
  alertRule: analytics('Query.alertRule', ruleById(RULES.changed)),
  'alertRule(missing)': analytics('Query.alertRule', ruleById(RULES.missing)),
  createAlertRule: analytics('Mutation.createAlertRule', {
    query: `mutation ($input: AlertRuleInput!) { createAlertRule(input: $input) { ${RULE} } }`,
    // Always the same rule: whichever path creates it, the other's repeat changes nothing.
    variables: () => ({ input: alertRuleInput(RULES.created) }),
    pick: field('createAlertRule'),
  }),
  changeAlertRule: analytics('Mutation.changeAlertRule', changeRule(RULES.changed)),
  'changeAlertRule(missing)': analytics('Mutation.changeAlertRule', changeRule(RULES.missing)),
  // Deleting a deleted rule is answered true, as deleting it was: the second path's admin gets
  // the first's answer. A rule never made is NOT_FOUND, for an admin only.
  deleteAlertRule: analytics('Mutation.deleteAlertRule', deleteRule(RULES.deleted)),
  'deleteAlertRule(missing)': analytics('Mutation.deleteAlertRule', deleteRule(RULES.missing)),
  // Any signed-in caller reports clickstream: a shop front reports its visitors' clicks.
  ingestEvents: analytics('Mutation.ingestEvents', {
    query: `mutation ($events: [IngestedEventInput!]!) {
      ingestEvents(events: $events) { accepted rejected { index code message } }
    }`,
    variables: () => ({
      events: [
        {
          id: 'authz-view',
          type: 'PRODUCT_VIEWED',
          occurredAt: new Date().toISOString(),
          sessionId: 'authz-session',
          sku: 'AUTH-IN',
        },
      ],
    }),
    pick: field('ingestEvents'),
  }),
  // The snapshot of the window comes at once on subscribing.
  metricsUpdated: analytics('Subscription.metricsUpdated', {
    query: `subscription ($window: MetricsWindow) { metricsUpdated(window: $window) { ${SNAPSHOT} } }`,
    variables: () => ({ window: { minutes: 5 } }),
    pick: field('metricsUpdated'),
  }),
  // Nothing comes until a rule moves: the matrix creates breached rules while it is live.
  alertStateChanged: {
    ...analytics('Subscription.alertStateChanged', {
      query: `subscription { alertStateChanged { ruleId from to value at } }`,
      variables: () => ({}),
      pick: (data) => [at(data, 'alertStateChanged', 'ruleId')],
    }),
    fed: 'alerts',
  },
};
