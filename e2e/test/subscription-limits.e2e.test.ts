import { connectSubscriptions, developmentToken, waitFor, type Connection } from '@orderflow/stack';
import { startTestSystem, type TestSystem } from './support/system';

// Every order the viewer may see: open until closed (a missing orderId would end at once).
const WATCH = `subscription { orderStatusChanged { status } }`;

/** Each open subscription holds an upstream and a JetStream consumer: a client gets a few. */
describe('limits on subscriptions through the gateway', () => {
  let running: TestSystem;
  const connections: Connection[] = [];

  const connect = (customer: string) => {
    const connection = connectSubscriptions(running.system.gatewayUrl, {
      authorization: `Bearer ${developmentToken(customer)}`,
    });
    connections.push(connection);
    return connection;
  };

  const refusalOf = async (subscription: {
    errors: readonly unknown[];
    ended(): Promise<void>;
  }) => {
    await subscription.ended();
    return subscription.errors[0] as { message: string; extensions?: { code?: string } };
  };

  beforeAll(async () => {
    running = await startTestSystem({
      GATEWAY_SUBSCRIPTIONS_PER_CONNECTION: '2',
      GATEWAY_SUBSCRIPTIONS_PER_CUSTOMER: '3',
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await running?.stop();
  });

  it('refuses a third subscription on one connection with SUBSCRIPTION_LIMIT, and a fourth for the customer', async () => {
    const first = connect('mallory');
    const held = [first.subscribe(WATCH), first.subscribe(WATCH)];
    const third = first.subscribe(WATCH);
    expect(await refusalOf(third)).toMatchObject({
      message: 'a connection may hold 2 subscriptions at once; close one before opening another',
      extensions: { code: 'SUBSCRIPTION_LIMIT' },
    });

    const second = connect('mallory');
    second.subscribe(WATCH);
    const beyond = second.subscribe(WATCH);
    expect((await refusalOf(beyond)).message).toMatch(
      /a customer may hold 3 subscriptions at once/,
    );
    // Another customer is not held back by mallory's.
    const other = connect('trent').subscribe(WATCH);

    // Closing one frees its place.
    await held[0]!.close();
    let reopened = first.subscribe(WATCH);
    await waitFor('the freed place to be taken', async () => {
      if (!reopened.completed) return true;
      reopened = first.subscribe(WATCH);
      return false;
    });
    expect(reopened.errors).toEqual([]);
    expect(other.errors).toEqual([]);
  });
});
