import { waitFor } from '@orderflow/stack';
import { startTestSystem, type TestSystem } from '../support/system';
import { answerOf, firstAnswer, outcomeOf, overHttp, overSocket, paths, type Path } from './ask';
import {
  ALL,
  callers,
  customers,
  F,
  isCustomer,
  NF,
  NUL,
  OK,
  other,
  owner,
  OWN,
  tokens,
  U,
  type Caller,
  type Outcome,
} from './callers';
import { renamed, setUpFixtures, type CustomerOrders, type Fixtures } from './fixtures';
import { at, rows, type Row } from './operations';
import { supergraphOperations } from './supergraph';

// Rows: every operation of the supergraph (operations.ts says how each is asked); columns:
// callers. "own" is the caller's own orders, "other's" a customer's (bob's for alice, alice's for
// everyone else); a caller without a valid token is asked about alice's. Each row is asked
// through the gateway (U is 401; over graphql-ws, the connection closed with 4403) and straight
// to the subgraph serving it, showing the gateway's credential (U is 401; over graphql-ws, the
// subscription's error), expecting the same; and to that subgraph without the credential, where
// every cell is 403 FORBIDDEN (the connection closed with 4403). `_entities(Order)@order` has no
// gateway path: no operation makes the gateway fetch an Order from order by key. deadLetter:
// seq 999999 was never dead-lettered, so an admin is answered null. Analytics is for admins only:
// every customer is FORBIDDEN, whatever they ask; `(missing)` asks about a rule never made, which
// an admin is answered null, or NOT_FOUND by a mutation (fixtures.ts's RULES says which rule each
// row touches: no outcome depends on the order the rows run in).
// prettier-ignore
const matrix: readonly (readonly [row: string, ...outcomes: Outcome[]])[] = [
  // row                                anonymous  wrongSecret  expired  alice  bob  admin
  ['product',                           U,         U,           U,       OK,    OK,  OK],
  ['products',                          U,         U,           U,       OK,    OK,  OK],
  ['order(own)',                        U,         U,           U,       OK,    OK,  OK],
  ["order(other's)",                    U,         U,           U,       NUL,   NUL, OK],
  ['orders',                            U,         U,           U,       OWN,   OWN, ALL],
  ['orders(customerId: other)',         U,         U,           U,       F,     F,   OK],
  ['deadLetters',                       U,         U,           U,       F,     F,   OK],
  ['deadLetter',                        U,         U,           U,       F,     F,   NUL],
  ['upsertProduct',                     U,         U,           U,       F,     F,   OK],
  ['restock',                           U,         U,           U,       F,     F,   OK],
  ['placeOrder',                        U,         U,           U,       OWN,   OWN, OWN],
  ['cancelOrder(own)',                  U,         U,           U,       OK,    OK,  OK],
  ["cancelOrder(other's)",              U,         U,           U,       NF,    NF,  OK],
  ['replayDeadLetter',                  U,         U,           U,       F,     F,   OK],
  ['discardDeadLetter',                 U,         U,           U,       F,     F,   OK],
  ['confirmDelivery',                   U,         U,           U,       F,     F,   OK],
  ['orderStatusChanged(own)',           U,         U,           U,       OK,    OK,  OK],
  ["orderStatusChanged(other's)",       U,         U,           U,       NF,    NF,  OK],
  ['orderStatusChanged(all)',           U,         U,           U,       OWN,   OWN, ALL],
  ['_entities(Product)@inventory',      U,         U,           U,       OK,    OK,  OK],
  ['_entities(Order)@order(own)',       U,         U,           U,       OK,    OK,  OK],
  ["_entities(Order)@order(other's)",   U,         U,           U,       NUL,   NUL, OK],
  ['_entities(Order)@payment(own)',     U,         U,           U,       OK,    OK,  OK],
  ["_entities(Order)@payment(other's)", U,         U,           U,       NUL,   NUL, OK],
  ['_entities(Order)@shipping(own)',    U,         U,           U,       OK,    OK,  OK],
  ["_entities(Order)@shipping(other's)",U,         U,           U,       NUL,   NUL, OK],
  ['metrics',                           U,         U,           U,       F,     F,   OK],
  ['metricSeries',                      U,         U,           U,       F,     F,   OK],
  ['alertRules',                        U,         U,           U,       F,     F,   OK],
  ['alertRule',                         U,         U,           U,       F,     F,   OK],
  ['alertRule(missing)',                U,         U,           U,       F,     F,   NUL],
  ['createAlertRule',                   U,         U,           U,       F,     F,   OK],
  ['changeAlertRule',                   U,         U,           U,       F,     F,   OK],
  ['changeAlertRule(missing)',          U,         U,           U,       F,     F,   NF],
  ['deleteAlertRule',                   U,         U,           U,       F,     F,   OK],
  ['deleteAlertRule(missing)',          U,         U,           U,       F,     F,   NF],
  ['ingestEvents',                      U,         U,           U,       OK,    OK,  OK],
  ['metricsUpdated',                    U,         U,           U,       F,     F,   OK],
  ['alertStateChanged',                 U,         U,           U,       F,     F,   OK],
];

const operations = supergraphOperations();
const subgraphOf = new Map(operations.map((operation) => [operation.name, operation.subgraph]));
const isSubscription = (row: Row) => row.covers.startsWith('Subscription.');

/** Without the gateway's credential, every subgraph refuses everyone, whatever their token. */
const expectedVia = (path: Path, outcome: Outcome): Outcome =>
  path === 'subgraph without credential' ? F : outcome;
const cellsOf = (path: Path) =>
  matrix
    .filter(([row]) => path !== 'gateway' || rows[row]?.gateway)
    .flatMap(([row, ...outcomes]) =>
      callers.map((caller, column) => ({
        row,
        caller,
        expected: expectedVia(path, outcomes[column]!),
      })),
    );

describe('the authorization matrix: every operation, every caller, every path', () => {
  let running: TestSystem;
  let fixtures: Fixtures;

  const endpoint = (path: Path, row: Row) =>
    path === 'gateway'
      ? { url: running.system.gatewayUrl }
      : {
          url: running.system.services[subgraphOf.get(row.covers)!]!.url,
          credential: path === 'subgraph' ? running.system.callerSecret : undefined,
        };

  /**
   * A subscription to every order, fed: orders of the caller (of bob, for an admin) are placed
   * until one arrives, so it is live; then one of another customer, then one of the caller's. A
   * customer must get the last and never the one before (the log delivers that first), an admin
   * both. Returns early when the subscription ends (refused).
   */
  const placeWhileLive = async (subscription: ReturnType<typeof overSocket>, caller: Caller) => {
    const customer = caller === 'alice' || caller === 'bob';
    const mine = customer ? caller : 'bob';
    const seen = (id: string) =>
      subscription.received.some((change) => at(change, 'orderStatusChanged', 'orderId') === id);
    const probes: string[] = [];
    let looks = 0;
    await waitFor(
      'the subscription to end, or to be live',
      async () => {
        if (subscription.completed || probes.some(seen)) return true;
        // The first look only gives a refusal time to arrive.
        if (looks++ > 0) probes.push(await fixtures.placeFor(mine));
        return false;
      },
      { intervalMs: 250 },
    );
    if (subscription.completed) return;
    const first = await fixtures.placeFor(other(caller));
    const second = await fixtures.placeFor(mine);
    await waitFor(
      `the changes of ${customer ? second : `${first} and ${second}`}`,
      () => subscription.completed || (seen(second) && (customer || seen(first))),
    );
  };

  /**
   * A subscription to every alert rule's changes, fed: rules breached at once are created, one a
   * second, until a change arrives (each moves once: OK to PENDING). Returns early when the
   * subscription ends (refused).
   */
  const breachWhileLive = async (subscription: ReturnType<typeof overSocket>) => {
    let looks = 0;
    await waitFor(
      'the subscription to end, or a rule to change',
      async () => {
        if (subscription.completed || subscription.received.length > 0) return true;
        // The first look only gives a refusal time to arrive.
        if (looks++ % 4 === 1) await fixtures.breachedRule();
        return false;
      },
      { intervalMs: 250 },
    );
  };

  const ask = async (path: Path, row: Row, caller: Caller, orders: CustomerOrders) => {
    const { query, variables, pick } = path === 'gateway' ? row.gateway! : row.subgraph;
    const request = { query, variables: variables(orders) };
    if (!isSubscription(row)) return overHttp(endpoint(path, row), tokens[caller], request, pick);
    const subscription = overSocket(endpoint(path, row), tokens[caller], request);
    try {
      if (row.fed === 'orders') {
        await placeWhileLive(subscription, caller);
      } else if (row.fed === 'alerts') {
        await breachWhileLive(subscription);
      } else {
        await firstAnswer(subscription);
      }
      return answerOf(subscription, pick);
    } finally {
      await subscription.close();
    }
  };

  beforeAll(async () => {
    running = await startTestSystem();
    fixtures = await setUpFixtures(running);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('has a row for every operation of the supergraph, and an outcome for every caller', () => {
    const covered = new Set(Object.values(rows).map((row) => row.covers));
    expect([...covered].sort()).toEqual(operations.map((operation) => operation.name).sort());
    expect(matrix.map(([row]) => row).sort()).toEqual(Object.keys(rows).sort());
    for (const [, ...outcomes] of matrix) expect(outcomes).toHaveLength(callers.length);
  });

  describe.each(paths)('%s', (path) => {
    it.each(cellsOf(path))('$row by $caller: $expected', async ({ row, caller, expected }) => {
      const operation = rows[row]!;
      const whose = operation.whose === 'own' ? owner(caller) : other(caller);
      const orders = fixtures.orders[whose];
      const socket = isSubscription(operation);
      const customerId = isCustomer(caller) ? customers[caller] : undefined;

      const answer = await ask(path, operation, caller, orders);

      expect({ outcome: outcomeOf(answer, { path, socket, customerId }), answer }).toMatchObject({
        outcome: expected,
      });
      // Another's is answered exactly as one that was never placed: its existence does not leak.
      if (operation.whose === 'other' && (expected === NUL || expected === NF)) {
        const missing = await ask(path, operation, caller, fixtures.missing);
        expect(renamed(answer.body, orders, fixtures.missing)).toEqual(missing.body);
      }
    });
  });

  it('tells a caller without a token what to send', async () => {
    const { body } = await overHttp(
      { url: running.system.gatewayUrl },
      undefined,
      { query: '{ products { edges { cursor } } }', variables: {} },
      () => [],
    );
    expect(body.errors?.[0]?.message).toMatch(
      /missing Authorization header; send "Authorization: Bearer <token>" and mint one with `npm run token/,
    );
  });

  it.each(['alice', 'admin'] as const)(
    'has the gateway refuse `_entities` from a client, even from %s: only subgraphs serve it',
    async (caller) => {
      const { status, body } = await overHttp(
        { url: running.system.gatewayUrl },
        tokens[caller],
        {
          query: `{ _entities(representations: [{ __typename: "Order", id: "x" }]) { __typename } }`,
          variables: {},
        },
        () => [],
      );
      expect(status).toBe(400);
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual([
        'GRAPHQL_VALIDATION_FAILED',
      ]);
    },
  );
});
