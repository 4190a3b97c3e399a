import { ISO_INSTANT, pactUnderTest } from '@orderflow/pact';
import { METRICS, metricsLine, WATCH, type MetricsSnapshot } from '@orderflow/stack';
import { Matchers, PactV4 } from '@pact-foundation/pact';

const { eachLike, integer, like, number, regex } = Matchers;

/**
 * `npm run watch` as a consumer of the gateway's subscriptions: each payload it relies on is a
 * message, and the operation that asks for it travels in the message's metadata, so a change to
 * the selection changes the contract. graphql-ws is not HTTP, so these are Pact messages.
 */
describe('npm run watch as a consumer of the gateway', () => {
  const written = pactUnderTest('watch', 'gateway');
  const pact = new PactV4({
    consumer: 'watch',
    provider: 'gateway',
    dir: written.dir,
    logLevel: 'warn',
  });

  afterAll(() => written.checkCommitted());

  it('follows an order: each change with its payment and shipment', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('an order of that customer that has shipped')
      .expectsToReceive('orderStatusChanged with the watch selection', (message) =>
        message
          .withJSONContent({
            data: {
              orderStatusChanged: {
                version: integer(1),
                status: like('CREATED'),
                at: regex(ISO_INSTANT, '2026-01-01T12:00:00.000Z'),
                cause: { type: like('request') },
                order: {
                  payment: { status: like('CAPTURED') },
                  shipment: { trackingNumber: like('TRK-1') },
                },
              },
            },
          })
          .withMetadata({ operation: WATCH }),
      )
      .executeTest(async (message) => {
        // watch prints each payload as it comes: what it needs is that it parses.
        expect(JSON.parse(JSON.stringify(message.contents.content))).toHaveProperty(
          'data.orderStatusChanged.status',
        );
      });
  });

  it('prints a line of the live figures for an admin', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('orders flowing, watched by an admin')
      .expectsToReceive('metricsUpdated with the watch --metrics selection', (message) =>
        message
          .withJSONContent({
            data: {
              metricsUpdated: {
                ordersPerMinute: number(0.4),
                ordersCompleted: integer(0),
                ordersFailed: integer(0),
                failureRate: number(0.0),
                revenue: eachLike({ currency: like('USD'), perMinute: number(178) }),
                sagaDuration: { p50: null, p95: null, p99: null },
                inFlight: eachLike({ count: integer(2) }),
                repairs: { meanMs: null },
                lateEvents: like([]),
                watermark: regex(ISO_INSTANT, '2026-01-01T12:00:00.000Z'),
              },
            },
          })
          .withMetadata({ operation: METRICS }),
      )
      .executeTest(async (message) => {
        const { metricsUpdated } = (
          message.contents.content as unknown as { data: { metricsUpdated: MetricsSnapshot } }
        ).data;
        expect(metricsLine(metricsUpdated, new Date('2026-01-01T12:00:00Z'))).toBe(
          '12:00:00  orders/min 0.4  completed 0  failed 0 (0.0%)  revenue/min 1.78 USD  ' +
            'saga p50/p95/p99 -/-/-  in flight 2  repair -  late 0',
        );
      });
  });
});
