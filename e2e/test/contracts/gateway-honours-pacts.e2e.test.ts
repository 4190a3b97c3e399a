import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pactDirectory } from '@orderflow/pact';
import {
  connectSubscriptions,
  developmentToken,
  METRICS,
  seedDemoCatalog,
  WATCH,
} from '@orderflow/stack';
import { MessageProviderPact, Verifier } from '@pact-foundation/pact';
import { orderInput, orderReaching } from '../support/orderflow';
import { startTestSystem, type TestSystem } from '../support/system';

/**
 * The clients the project ships (the README's curl examples, `npm run watch`), verified against
 * the running gateway: the whole system brought into each state through its public API.
 */
describe('the gateway honours its clients’ pacts', () => {
  let running: TestSystem;
  const tokens = {
    customer: developmentToken('alice'),
    admin: developmentToken('e2e-admin', { admin: true }),
  };
  /** The order the last state placed: the id the consumers' examples stand for. */
  let orderId = '';
  const shippedOrder = async () => {
    const placed = await running.customer.placeOrder(orderInput([{ sku: 'KB-001', quantity: 1 }]));
    await orderReaching(running.customer, placed.id, 'SHIPPED');
    orderId = placed.id;
    return { orderId };
  };

  beforeAll(async () => {
    running = await startTestSystem();
    await seedDemoCatalog(running.system.gatewayUrl, tokens.admin);
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('answers every request the README shows as the README relies on', async () => {
    const verifier = new Verifier({
      provider: 'gateway',
      providerBaseUrl: running.system.gatewayUrl.replace(/\/graphql$/, ''),
      pactUrls: [join(pactDirectory, 'readme-gateway.json')],
      logLevel: 'error',
      // The README's tokens are examples; the running gateway verifies real ones.
      requestFilter: (request: IncomingMessage, _response: ServerResponse, next: () => void) => {
        const admin = request.headers.authorization === 'Bearer an-admin-token';
        request.headers.authorization = `Bearer ${admin ? tokens.admin : tokens.customer}`;
        next();
      },
      stateHandlers: {
        'the demo catalog, and a customer with a token': async () => undefined,
        'an order of that customer that has shipped': shippedOrder,
        'orders flowing, watched by an admin': async () => {
          await shippedOrder();
        },
      },
    });
    await expect(verifier.verifyProvider()).resolves.toBeDefined();
  });

  it('pushes what npm run watch relies on', async () => {
    const firstPayload = async (
      query: string,
      variables: Record<string, unknown>,
      token: string,
    ) => {
      const connection = connectSubscriptions(running.system.gatewayUrl, {
        authorization: `Bearer ${token}`,
      });
      try {
        const [data] = await connection.subscribe(query, variables).next(1);
        return { data };
      } finally {
        await connection.close();
      }
    };
    const verification = new MessageProviderPact({
      provider: 'gateway',
      pactUrls: [join(pactDirectory, 'watch-gateway.json')],
      logLevel: 'error',
      stateHandlers: {
        'an order of that customer that has shipped': shippedOrder,
        'orders flowing, watched by an admin': shippedOrder,
      },
      messageProviders: {
        'orderStatusChanged with the watch selection': async () => ({
          __pactMessageMetadata: { operation: WATCH },
          message: await firstPayload(WATCH, { orderId, sinceVersion: 0 }, tokens.customer),
        }),
        'metricsUpdated with the watch --metrics selection': async () => ({
          __pactMessageMetadata: { operation: METRICS },
          message: await firstPayload(METRICS, { window: { minutes: 5 } }, tokens.admin),
        }),
      },
    });
    await expect(verification.verify()).resolves.toBeDefined();
  });
});
