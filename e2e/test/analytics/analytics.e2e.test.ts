import { developmentToken, subscribe, waitFor, type Subscription } from '@orderflow/stack';
import { orderInput, orderReaching, sagaReaching, stockReaching } from '../support/orderflow';
import { startTestSystem, type TestSystem } from '../support/system';
import {
  alertFollowers,
  analytics,
  ask,
  data,
  settling,
  stampedSubscription,
  totalsByGroup,
  type Point,
  type Rule,
  type Snapshot,
  type Transition,
} from './analytics-api';

const MINUTE = 60_000;
const WINDOW = { minutes: 10 };

/** Each outcome's product, price and quantity: every count and figure below differs. */
const products = {
  completed: { sku: 'AN-DONE', price: 1000, quantity: 2, stock: 100 },
  declined: { sku: 'AN-DECLINED', price: 300, quantity: 3, stock: 100 },
  outOfStock: { sku: 'AN-SOLD-OUT', price: 700, quantity: 1, stock: 0 },
  cancelled: { sku: 'AN-CANCELLED', price: 2000, quantity: 1, stock: 100 },
  timedOut: { sku: 'AN-LATE', price: 450, quantity: 4, stock: 100 },
} as const;
/** How many orders end each way: 5 completed, 10 failed at four different steps and reasons. */
const counts = { completed: 5, declined: 4, outOfStock: 3, cancelled: 2, timedOut: 1 } as const;
type Outcome = keyof typeof counts;
const outcomes = Object.keys(counts) as Outcome[];
const placedCount = outcomes.reduce((sum, outcome) => sum + counts[outcome], 0);
const failedCount = placedCount - counts.completed;
const units = (outcome: Outcome) => counts[outcome] * products[outcome].quantity;
const ordered = (outcome: Outcome) => units(outcome) * products[outcome].price;
/** Captured minus refunded: only completed orders keep their money. */
const revenue = ordered('completed');

const expectedFailures = [
  { step: 'INVENTORY', reason: 'OUT_OF_STOCK', count: counts.outOfStock },
  { step: 'PAYMENT', reason: 'PAYMENT_DECLINED', count: counts.declined },
  { step: 'PAYMENT', reason: 'TIMED_OUT', count: counts.timedOut },
  // Cancelled while waiting in PAYMENT_CAPTURED: the saga stood at its SHIPPING step.
  { step: 'SHIPPING', reason: 'CUSTOMER_CANCELLED', count: counts.cancelled },
];
const idle = ['CREATED', 'INVENTORY_RESERVED', 'PAYMENT_CAPTURED', 'SHIPPED'].map((status) => ({
  status,
  count: 0,
}));

const byStepAndReason = (
  a: { step: string; reason: string },
  b: { step: string; reason: string },
) => a.step.localeCompare(b.step) || a.reason.localeCompare(b.reason);
const byStatus = (a: { status: string }, b: { status: string }) => a.status.localeCompare(b.status);

/** What the first test asserts of a snapshot, in a form to compare whole. */
const figures = (s: Snapshot) => ({
  minutes: s.minutes,
  ordersPlaced: s.ordersPlaced,
  ordersPerMinute: s.ordersPerMinute,
  ordersCompleted: s.ordersCompleted,
  ordersFailed: s.ordersFailed,
  failureRate: s.failureRate,
  failures: [...s.failures].sort(byStepAndReason),
  revenue: s.revenue,
  sagaDurationCount: s.sagaDuration.count,
  // Every failed order had something to undo: stock released, or a payment refunded or voided.
  repairs: s.repairs.count,
  inFlight: [...s.inFlight].sort(byStatus),
  topProducts: s.topProducts,
});

const expectedFigures = {
  minutes: WINDOW.minutes,
  ordersPlaced: placedCount,
  ordersPerMinute: placedCount / WINDOW.minutes,
  ordersCompleted: counts.completed,
  ordersFailed: failedCount,
  failureRate: failedCount / placedCount,
  failures: [...expectedFailures].sort(byStepAndReason),
  revenue: [{ currency: 'USD', total: revenue, perMinute: revenue / WINDOW.minutes }],
  sagaDurationCount: placedCount,
  repairs: failedCount,
  inFlight: [...idle].sort(byStatus),
  // Most units first: 12 declined, 10 completed, 4 timed out, 3 sold out, 2 cancelled.
  topProducts: [...outcomes]
    .sort((a, b) => units(b) - units(a))
    .map((outcome) => ({
      sku: products[outcome].sku,
      units: units(outcome),
      revenue: [{ amount: ordered(outcome), currency: 'USD' }],
    })),
};

const inFlightTotal = (s: Snapshot) => s.inFlight.reduce((sum, { count }) => sum + count, 0);

describe('analytics through the gateway', () => {
  let running: TestSystem;
  let gatewayUrl: string;
  const adminToken = developmentToken('analytics-admin', { admin: true });
  const customerToken = developmentToken('alice');
  const open: { close(): Promise<void> }[] = [];
  let startedAt: number;

  const metrics = async (window: { minutes: number } = WINDOW) =>
    (await data<{ metrics: Snapshot }>(gatewayUrl, adminToken, analytics.metrics, { window }))
      .metrics;
  const series = async (variables: Record<string, unknown>) =>
    (
      await data<{ metricSeries: Point[] }>(gatewayUrl, adminToken, analytics.metricSeries, {
        from: new Date(startedAt - MINUTE).toISOString(),
        to: new Date(Date.now() + MINUTE).toISOString(),
        bucket: 'HOUR',
        ...variables,
      })
    ).metricSeries;
  const alertRule = async (id: string) =>
    (await data<{ alertRule: Rule | null }>(gatewayUrl, adminToken, analytics.alertRule, { id }))
      .alertRule;
  const watch = <T>(query: string, variables: Record<string, unknown>, token?: string) => {
    const subscription: Subscription<T> = subscribe<T>(
      gatewayUrl,
      query,
      variables,
      token ? { authorization: `Bearer ${token}` } : {},
    );
    open.push(subscription);
    return subscription;
  };
  const place = (outcome: Outcome) => {
    const { sku, quantity } = products[outcome];
    return running.customer.placeOrder(
      orderInput([{ sku, quantity }], {
        ...(outcome === 'declined' ? { paymentMethod: 'pm_card_chargeDeclined' } : {}),
      }),
    );
  };
  const placeMany = (outcome: Outcome) =>
    Promise.all(Array.from({ length: counts[outcome] }, () => place(outcome)));
  /** Ships, then delivers: a completed order, ended. */
  const deliver = async (id: string) => {
    await orderReaching(running.customer, id, 'SHIPPED');
    await running.admin.confirmDelivery(id);
    await orderReaching(running.customer, id, 'COMPLETED');
  };

  beforeAll(async () => {
    running = await startTestSystem();
    gatewayUrl = running.system.gatewayUrl;
    await Promise.all(
      Object.values(products).map(async ({ sku, price, stock }) => {
        await running.admin.createProduct(sku, price, stock);
        await stockReaching(running.admin, sku, { available: stock, reserved: 0 });
      }),
    );
  }, 60_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('counts every outcome exactly, in metrics and in metricSeries alike', async () => {
    startedAt = Date.now();
    const { customer } = running;
    const { payment, shipping } = running.system.services;

    // Completed, declined and sold out, all at once.
    const [completed, declined, outOfStock] = await Promise.all([
      placeMany('completed'),
      placeMany('declined'),
      placeMany('outOfStock'),
    ]);
    const cancelledAs = async (id: string, reason: string) => {
      const order = await orderReaching(customer, id, 'CANCELLED');
      expect(order.failureReason).toBe(reason);
    };
    await Promise.all([
      ...completed.map(({ id }) => deliver(id)),
      ...declined.map(({ id }) => cancelledAs(id, 'PAYMENT_DECLINED')),
      ...outOfStock.map(({ id }) => cancelledAs(id, 'OUT_OF_STOCK')),
    ]);

    // Shipping down: these wait at PAYMENT_CAPTURED for their customer to cancel them.
    await shipping!.process.stop();
    const cancelled = await placeMany('cancelled');
    await Promise.all(cancelled.map(({ id }) => orderReaching(customer, id, 'PAYMENT_CAPTURED')));
    // Payment down too: this one waits at INVENTORY_RESERVED until its deadline passes.
    await payment!.process.stop();
    const [timedOut] = await placeMany('timedOut');
    for (const { id } of cancelled) {
      const { cancelOrder } = await customer.cancelOrder(id, 'changed my mind');
      expect(cancelOrder.status).toBe('CANCELLED');
    }
    await cancelledAs(timedOut!.id, 'TIMED_OUT');
    await Promise.all([payment!.restart(), shipping!.restart()]);
    // Captured, then refunded: the customer-cancelled ones, and the timed-out one paid late.
    await Promise.all(
      [...cancelled, timedOut!].map(({ id }) =>
        sagaReaching(customer, id, 'refunded', (order) => order.payment?.status === 'REFUNDED'),
      ),
    );

    const snapshot = await settling(
      'the metrics to count every order',
      () => metrics(),
      figures,
      expectedFigures,
    );
    expect(figures(snapshot)).toEqual(expectedFigures);
    expect(Date.parse(snapshot.to) - Date.parse(snapshot.from)).toBe(WINDOW.minutes * MINUTE);
    const { p50, p95, p99 } = snapshot.sagaDuration;
    expect(p50).toBeGreaterThan(0);
    expect(p95).toBeGreaterThanOrEqual(p50!);
    expect(p99).toBeGreaterThanOrEqual(p95!);
    expect(snapshot.lateEvents.every(({ late }) => late === 0)).toBe(true);
    expect(snapshot.repairs.meanMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(snapshot.watermark!)).toBeGreaterThanOrEqual(startedAt);

    // The same totals as a series: [start of the test - 1 min, now + 1 min) in HOUR points.
    const totals = async (variables: Record<string, unknown>) => {
      const points = await series(variables);
      // One hour holds the whole range: each group is one point, in one bucket.
      expect(new Set(points.map((point) => point.bucket)).size).toBeLessThanOrEqual(1);
      return totalsByGroup(points);
    };
    expect(await totals({ metric: 'ORDERS_PLACED' })).toEqual({
      '': { count: placedCount, sum: 0 },
    });
    // Every test order ships to GB.
    expect(await totals({ metric: 'ORDERS_PLACED', groupBy: true })).toEqual({
      GB: { count: placedCount, sum: 0 },
    });
    expect(await totals({ metric: 'ORDERS_COMPLETED' })).toEqual({
      '': { count: counts.completed, sum: 0 },
    });
    expect(await totals({ metric: 'ORDERS_FAILED' })).toEqual({
      '': { count: failedCount, sum: 0 },
    });
    expect(await totals({ metric: 'ORDERS_FAILED', groupBy: true })).toEqual(
      Object.fromEntries(
        expectedFailures.map(({ step, reason, count }) => [`${step}/${reason}`, { count, sum: 0 }]),
      ),
    );
    const revenueByCurrency = await totals({ metric: 'REVENUE', groupBy: true });
    expect(Object.keys(revenueByCurrency)).toEqual(['USD']);
    expect(revenueByCurrency.USD!.sum).toBe(revenue);
    expect(await totals({ metric: 'PRODUCT_UNITS', groupBy: true })).toEqual(
      Object.fromEntries(
        outcomes.map((outcome) => [
          products[outcome].sku,
          { count: counts[outcome], sum: units(outcome) },
        ]),
      ),
    );

    const durations = await series({ metric: 'SAGA_DURATION' });
    expect(durations).toHaveLength(1);
    const [duration] = durations;
    expect(duration).toMatchObject({ group: null, count: placedCount, sum: 0 });
    expect(duration!.p50).toBeGreaterThan(0);
    expect(duration!.p95).toBeGreaterThanOrEqual(duration!.p50!);
    expect(duration!.p99).toBeGreaterThanOrEqual(duration!.p95!);
    expect(
      Object.fromEntries(
        Object.entries(await totals({ metric: 'SAGA_DURATION', groupBy: true })).map(
          ([outcome, { count }]) => [outcome, count],
        ),
      ),
    ).toEqual({ COMPLETED: counts.completed, CANCELLED: failedCount });
  }, 60_000);

  it('keeps one group of a series with `group`, named as the group it is', async () => {
    const group = 'PAYMENT/PAYMENT_DECLINED';
    const pick = (points: Point[]) =>
      points.map((point) => ({ group: point.group, count: point.count }));
    // With groupBy, a point per group; `group` keeps that one.
    expect(pick(await series({ metric: 'ORDERS_FAILED', groupBy: true, group }))).toEqual([
      { group, count: counts.declined },
    ]);
    // `group` alone keeps the same one group: its point names it (the schema: "The group ..., or
    // null for the metric's total"; this is not the total).
    expect(pick(await series({ metric: 'ORDERS_FAILED', group }))).toEqual([
      { group, count: counts.declined },
    ]);
  });

  it('takes clickstream from a shop front, refusing each malformed item on its own', async () => {
    const now = new Date().toISOString();
    const item = (id: string, type: string, fields: Record<string, unknown> = {}) => ({
      id,
      type,
      occurredAt: now,
      sessionId: 'e2e-session',
      ...fields,
    });
    const ingest = `mutation ($events: [IngestedEventInput!]!) {
      ingestEvents(events: $events) { accepted rejected { index code message } }
    }`;
    const before = await metrics();
    const { ingestEvents } = await data<{
      ingestEvents: { accepted: number; rejected: { index: number; code: string }[] };
    }>(gatewayUrl, customerToken, ingest, {
      events: [
        item('v1', 'PRODUCT_VIEWED', { sku: 'KB-001' }),
        item('c1', 'ADDED_TO_CART', { sku: 'KB-001', quantity: 2 }),
        item('c2', 'ADDED_TO_CART', { quantity: 2 }),
        item('k1', 'CHECKOUT_STARTED'),
      ],
    });
    expect(ingestEvents).toEqual({
      accepted: 3,
      rejected: [expect.objectContaining({ index: 2, code: 'BAD_USER_INPUT' })],
    });
    const after = await settling(
      'the reports to be counted',
      () => metrics(),
      (m) => m.funnel.checkoutsStarted - before.funnel.checkoutsStarted,
      1,
    );
    expect(after.funnel.productViews - before.funnel.productViews).toBe(1);
    expect(after.funnel.addedToCart - before.funnel.addedToCart).toBe(1);
    expect(after.funnel.checkoutsStarted - before.funnel.checkoutsStarted).toBe(1);
    expect(after.rejectedEvents - before.rejectedEvents).toBe(1);
  });

  it('pushes a metricsUpdated snapshot counting a new order within a second of placing it', async () => {
    const stamped = stampedSubscription<{ metricsUpdated: Snapshot }>(
      gatewayUrl,
      adminToken,
      analytics.metricsUpdated,
      { window: WINDOW },
    );
    open.push(stamped);
    const updates = stamped.subscription;
    const [first] = await updates.next(1);
    const before = first!.metricsUpdated;
    expect(before.ordersPlaced).toBe(placedCount);

    const seen = updates.received.length;
    const placedAt = Date.now();
    const { id } = await place('completed');
    const answeredAt = Date.now();
    const counting = () =>
      updates.received.findIndex(
        (update, index) =>
          index >= seen && update.metricsUpdated.ordersPlaced > before.ordersPlaced,
      );
    await waitFor(
      `a snapshot counting order ${id} (${updates.received.length} received)`,
      () => counting() >= 0 && stamped.arrivals.length > counting(),
      { timeoutMs: 5_000, intervalMs: 2 },
    );
    const index = counting();
    const freshnessMs = stamped.arrivals[index]! - answeredAt;
    console.log(
      `metricsUpdated freshness: ${freshnessMs} ms from the placeOrder response to the first snapshot counting the order (placeOrder itself took ${answeredAt - placedAt} ms; ${index - seen + 1} update(s) until then)`,
    );
    expect(freshnessMs).toBeLessThan(1_000);
    expect(updates.received[index]!.metricsUpdated.ordersPlaced).toBe(before.ordersPlaced + 1);

    // It goes on following the order to its end; a burst is one update per 100 ms at most, and
    // the window may slide into a new minute meanwhile.
    const followedFrom = Date.now();
    const countAtStart = updates.received.length;
    await deliver(id);
    await waitFor('a snapshot with the order completed and nothing in flight', () =>
      updates.received.some(
        ({ metricsUpdated: s }) =>
          s.ordersCompleted === before.ordersCompleted + 1 && inFlightTotal(s) === 0,
      ),
    );
    const elapsed = Date.now() - followedFrom;
    expect(updates.received.length - countAtStart).toBeLessThanOrEqual(
      Math.ceil(elapsed / 100) + 2,
    );
  });

  it('fires an alert rule on a driven metric and resolves it, recording both in its history', async () => {
    const ruleId = 'sagas-in-flight';
    const input = {
      id: ruleId,
      name: 'A saga is in flight',
      metric: 'SAGAS_IN_FLIGHT',
      comparison: 'ABOVE',
      threshold: 0,
      windowMs: 60_000,
      pendingMs: 0,
      hysteresis: 0,
    };
    const calm = await settling('no saga in flight', () => metrics(), inFlightTotal, 0);
    expect(inFlightTotal(calm)).toBe(0);

    // Subscribed first, and live upstream, before anything can move the rule.
    const analyticsUrl = running.system.services.analytics!.url;
    const followersBefore = await alertFollowers(analyticsUrl);
    const changes = watch<{ alertStateChanged: Transition }>(
      analytics.alertStateChanged,
      { ruleId },
      adminToken,
    );
    await waitFor(
      'the alertStateChanged upstream',
      async () => (await alertFollowers(analyticsUrl)) > followersBefore,
    );

    const { createAlertRule: created } = await data<{ createAlertRule: Rule }>(
      gatewayUrl,
      adminToken,
      analytics.createAlertRule,
      { input },
    );
    expect(created).toMatchObject({ ...input, state: 'OK' });
    // A repeat of the same rule changes nothing.
    const { createAlertRule: repeated } = await data<{ createAlertRule: Rule }>(
      gatewayUrl,
      adminToken,
      analytics.createAlertRule,
      { input },
    );
    expect(repeated).toMatchObject({ ...input, state: 'OK' });
    await waitFor('the rule to be listed', async () => {
      const { alertRules } = await data<{ alertRules: Rule[] }>(
        gatewayUrl,
        adminToken,
        analytics.alertRules,
      );
      return alertRules.some((rule) => rule.id === ruleId);
    });
    expect(changes.received).toEqual([]);

    // Drive it: an order waits at SHIPPED for its delivery, a saga in flight.
    const { id } = await place('completed');
    const [firing] = await changes.next(1, 10_000);
    expect(firing!.alertStateChanged).toMatchObject({
      ruleId,
      from: 'OK',
      to: 'FIRING',
      value: 1,
    });
    const fired = await settling(
      'the rule to read FIRING',
      () => alertRule(ruleId),
      (rule) => rule?.state,
      'FIRING',
    );
    expect(fired?.state).toBe('FIRING');

    // Delivered, it ends: nothing in flight, the rule resolves.
    await deliver(id);
    const both = await changes.next(2, 10_000);
    expect(both[1]!.alertStateChanged).toMatchObject({
      ruleId,
      from: 'FIRING',
      to: 'OK',
      value: 0,
    });
    const transitions = both.map(({ alertStateChanged }) => alertStateChanged);
    expect(Date.parse(transitions[1]!.at)).toBeGreaterThan(Date.parse(transitions[0]!.at));

    const resolved = await settling(
      'the rule to read OK with both transitions',
      () => alertRule(ruleId),
      (rule) => [rule?.state, rule?.history.length],
      ['OK', 2],
    );
    expect(resolved?.state).toBe('OK');
    expect(resolved?.since).toBe(transitions[1]!.at);
    expect(resolved?.history).toEqual(transitions);

    // Deleted, it is listed no more.
    expect(await data(gatewayUrl, adminToken, analytics.deleteAlertRule, { id: ruleId })).toEqual({
      deleteAlertRule: true,
    });
    await waitFor('the rule to be gone', async () => (await alertRule(ruleId)) === null);
  }, 60_000);

  describe('who may ask', () => {
    const rule = {
      id: 'not-yours',
      name: 'Not yours',
      metric: 'ORDERS_FAILED',
      comparison: 'ABOVE',
      threshold: 1,
      windowMs: 60_000,
      pendingMs: 0,
    };
    const httpOperations: [string, string, Record<string, unknown>][] = [
      ['metrics', analytics.metrics, { window: WINDOW }],
      [
        'metricSeries',
        analytics.metricSeries,
        { metric: 'ORDERS_PLACED', from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' },
      ],
      ['alertRules', analytics.alertRules, {}],
      ['alertRule', analytics.alertRule, { id: 'not-yours' }],
      ['createAlertRule', analytics.createAlertRule, { input: rule }],
      ['changeAlertRule', analytics.changeAlertRule, { input: rule }],
      ['deleteAlertRule', analytics.deleteAlertRule, { id: 'not-yours' }],
    ];

    it.each(httpOperations)('refuses %s to a customer as FORBIDDEN', async (field, query, vars) => {
      const answer = await ask<Record<string, unknown>>(gatewayUrl, customerToken, query, vars);
      expect(answer.status).toBe(200);
      expect(answer.errors).toMatchObject([
        { message: expect.stringMatching(/needs the admin scope/) as unknown },
      ]);
      expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(answer.data?.[field] ?? null).toBeNull();
    });

    it.each(httpOperations)(
      'refuses %s to an anonymous caller with 401 UNAUTHENTICATED',
      async (_field, query, vars) => {
        const answer = await ask(gatewayUrl, undefined, query, vars);
        expect(answer.status).toBe(401);
        expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
        expect(answer.data).toBeUndefined();
      },
    );

    it('created nothing for the customer', async () => {
      expect(await alertRule('not-yours')).toBeNull();
    });

    it.each([
      ['metricsUpdated', analytics.metricsUpdated, { window: WINDOW }],
      ['alertStateChanged', analytics.alertStateChanged, {}],
    ])('refuses the %s subscription to a customer as FORBIDDEN', async (_field, query, vars) => {
      const refused = watch(query, vars, customerToken);
      await refused.ended();
      expect(refused.received).toEqual([]);
      expect(refused.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    });

    it('refuses a subscription socket to an anonymous caller', async () => {
      const refused = watch(analytics.metricsUpdated, { window: WINDOW });
      await refused.ended();
      expect(refused.received).toEqual([]);
      expect(JSON.stringify(refused.errors)).toMatch(/4403|Forbidden/);
    });
  });

  describe('bad input', () => {
    const hour = { from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' };
    const refusal = async (query: string, variables: Record<string, unknown>) => {
      const answer = await ask(gatewayUrl, adminToken, query, variables);
      expect(answer.errors).toHaveLength(1);
      return {
        status: answer.status,
        code: answer.errors[0]!.extensions?.code,
        message: answer.errors[0]!.message,
      };
    };
    const seriesOf = (variables: Record<string, unknown>) =>
      refusal(analytics.metricSeries, { metric: 'ORDERS_PLACED', ...hour, ...variables });

    it.each([
      ['to equal to from', { to: hour.from }, /`to` must be after `from`/],
      ['to before from', { from: hour.to, to: hour.from }, /`to` must be after `from`/],
      ['a time that is not ISO 8601', { from: 'yesterday' }, /from must be an ISO 8601 time/],
      [
        'more than 1,440 points',
        { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:01:00Z', bucket: 'MINUTE' },
        /at most 1440 points per query/,
      ],
    ])('refuses a metricSeries with %s as BAD_USER_INPUT', async (_case, variables, message) => {
      const refused = await seriesOf(variables);
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(refused.message).toMatch(message);
      // A resolver's refusal, like every domain error here: 200 with the code.
      expect(refused.status).toBe(200);
    });

    it('answers exactly 1,440 points, the limit', async () => {
      const answer = await ask(gatewayUrl, adminToken, analytics.metricSeries, {
        metric: 'ORDERS_PLACED',
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-02T00:00:00Z',
        bucket: 'MINUTE',
      });
      expect(answer.errors).toEqual([]);
      expect(answer.data).toEqual({ metricSeries: [] });
    });

    it.each([
      ['bucket', { bucket: 'WEEK' }, /WEEK.*Bucket/],
      ['metric', { metric: 'ORDERS_LOST' }, /ORDERS_LOST.*Metric/],
    ])('refuses an unknown %s with 400 BAD_USER_INPUT', async (_case, variables, message) => {
      const refused = await seriesOf(variables);
      expect(refused).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
      expect(refused.message).toMatch(message);
    });

    it.each([0, 1_441, -5])('refuses window.minutes %d as BAD_USER_INPUT', async (minutes) => {
      const refused = await refusal(analytics.metrics, { window: { minutes } });
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(refused.message).toMatch(
        new RegExp(`window.minutes must be a whole number from 1 to 1440, not ${minutes}`),
      );
      expect(refused.status).toBe(200);
    });

    it('refuses a metricsUpdated subscription over window.minutes 0 as BAD_USER_INPUT', async () => {
      const refused = watch(analytics.metricsUpdated, { window: { minutes: 0 } }, adminToken);
      await refused.ended();
      expect(refused.received).toEqual([]);
      expect(refused.errors).toMatchObject([
        {
          message: expect.stringMatching(/window.minutes must be a whole number/) as unknown,
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
    });

    it('refuses createAlertRule with an unknown metric as BAD_USER_INPUT, naming the known ones', async () => {
      const refused = await refusal(analytics.createAlertRule, {
        input: {
          id: 'no-such-metric',
          name: 'No such metric',
          metric: 'ORDERS_LOST',
          comparison: 'ABOVE',
          threshold: 1,
          windowMs: 60_000,
          pendingMs: 0,
        },
      });
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(refused.message).toMatch(/unknown metric "ORDERS_LOST"/);
      expect(refused.message).toMatch(/SAGAS_IN_FLIGHT/);
      expect(refused.status).toBe(200);
      expect(await alertRule('no-such-metric')).toBeNull();
    });
  });
});
