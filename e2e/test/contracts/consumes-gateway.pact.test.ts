import { pactUnderTest } from '@orderflow/pact';
import { Matchers, PactV4 } from '@pact-foundation/pact';
import { ORDER_ID_PLACEHOLDER, readmeRequests } from './readme-operations';

const { eachLike, fromProviderState, integer, like, number } = Matchers;

/** What the README's `$TOKEN` and `$ADMIN` stand for in the contract; the provider swaps in real ones. */
const exampleTokens = { TOKEN: 'Bearer a-customer-token', ADMIN: 'Bearer an-admin-token' };

const ORDER = 'ord-0001';

/** What a reader of the README gets back: the shapes the README's examples rely on. */
const expectations = [
  {
    token: 'TOKEN',
    given: 'the demo catalog, and a customer with a token',
    description: 'the README places an order',
    request: (query: string) => ({ query }),
    response: { data: { placeOrder: { id: like(ORDER), status: like('CREATED') } } },
  },
  {
    token: 'TOKEN',
    given: 'an order of that customer that has shipped',
    description: 'the README reads an order with its payment, shipment and history',
    request: (query: string) => ({
      query: fromProviderState(
        query.replace(ORDER_ID_PLACEHOLDER, '${orderId}'),
        query.replace(ORDER_ID_PLACEHOLDER, ORDER),
      ),
    }),
    response: {
      data: {
        order: {
          status: like('SHIPPED'),
          payment: { status: like('CAPTURED') },
          shipment: { status: like('DISPATCHED'), trackingNumber: like('TRK-1') },
          history: eachLike({
            status: like('CREATED'),
            at: like('2026-01-01T12:00:00.000Z'),
            cause: { type: like('request') },
          }),
        },
      },
    },
  },
  {
    token: 'ADMIN',
    given: 'orders flowing, watched by an admin',
    description: 'the README reads the saga’s figures as an admin',
    request: (query: string) => ({ query }),
    response: {
      data: {
        metrics: {
          ordersPerMinute: number(0.4),
          failureRate: number(0),
          failures: like([]),
          revenue: eachLike({ currency: like('USD'), total: integer(4200) }),
          sagaDuration: { p50: null, p95: null, p99: null },
          inFlight: eachLike({ status: like('SHIPPED'), count: integer(1) }),
        },
      },
    },
  },
] as const;

/**
 * The README's curl examples are a client the project ships: each is sent as the README spells it
 * (body and headers), and what it relies on in the answer is the contract.
 */
describe('the README as a consumer of the gateway', () => {
  const written = pactUnderTest('readme', 'gateway');
  const pact = new PactV4({
    consumer: 'readme',
    provider: 'gateway',
    dir: written.dir,
    logLevel: 'warn',
  });
  const requests = readmeRequests();

  afterAll(() => written.checkCommitted());

  it('finds the README’s examples', () => {
    expect(requests.map((request) => request.token)).toEqual(
      expectations.map((expectation) => expectation.token),
    );
  });

  it.each(expectations.map((expectation, index) => [expectation.description, index] as const))(
    '%s',
    async (_, index) => {
      const expectation = expectations[index]!;
      const { body } = requests[index]!;
      const authorization = exampleTokens[expectation.token];
      await pact
        .addInteraction()
        .given(expectation.given)
        .uponReceiving(expectation.description)
        .withRequest('POST', '/graphql', (builder) =>
          builder
            .headers({
              'content-type': 'application/json',
              authorization,
            })
            .jsonBody(expectation.request(body.query)),
        )
        .willRespondWith(200, (builder) => builder.jsonBody(expectation.response))
        .executeTest(async (server) => {
          const sent = body.query.replace(ORDER_ID_PLACEHOLDER, ORDER);
          const response = await fetch(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization },
            body: JSON.stringify({ query: sent }),
          });
          const answer = (await response.json()) as { data?: Record<string, unknown> };
          expect(answer).toHaveProperty('data');
        });
    },
  );
});
