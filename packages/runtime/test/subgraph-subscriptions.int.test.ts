import { authConfig, createVerifier } from '@orderflow/auth';
import { developmentToken, subscribe, type Subscription } from '@orderflow/stack';
import { parse } from 'graphql';
import {
  createLogger,
  GATEWAY_PARAM,
  startSubgraph,
  type GraphQLHttpServer,
  type RequestContext,
} from '../src';

const typeDefs = parse(`
  type Query { me: String! }
  type Subscription { greeting: String! }
`);

const GREETING = 'subscription { greeting }';
const SECRET = 'the-secret-the-gateway-shows-every-subgraph';

/**
 * The refusals of a subgraph over graphql-ws, as over HTTP: a caller that is not the gateway is
 * turned away (4403, as HTTP's 403), and a token it refuses is that subscription's UNAUTHENTICATED
 * error, not an internal error that closes the socket.
 */
describe('a subgraph serving subscriptions', () => {
  let server: GraphQLHttpServer;
  const open: Subscription<unknown>[] = [];

  const greet = (connectionParams: Record<string, unknown>) => {
    const subscription = subscribe<{ greeting: string }>(
      server.url,
      GREETING,
      {},
      connectionParams,
    );
    open.push(subscription);
    return subscription;
  };

  beforeAll(async () => {
    server = await startSubgraph<RequestContext>({
      name: 'greeter',
      typeDefs,
      resolvers: {
        Query: { me: (_: unknown, __: unknown, { viewer }: RequestContext) => viewer.customerId },
        Subscription: {
          greeting: {
            subscribe: async function* (_: unknown, __: unknown, { viewer }: RequestContext) {
              yield { greeting: `hello ${viewer.customerId}` };
            },
          },
        },
      },
      port: 0,
      host: '127.0.0.1',
      log: createLogger({}, 'error', () => undefined),
      verify: createVerifier(authConfig.parse({})),
      callerSecret: SECRET,
      context: (base) => base,
      ready: async () => ({ problems: [] }),
    });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("keeps the gateway's idle connections open, so none closes as the gateway reuses it", () => {
    // The gateway's agent never times out an idle connection; Node's 5 s default here made a
    // request under load fail now and then as "the order service is unavailable".
    expect(server.httpServer.keepAliveTimeout).toBeGreaterThanOrEqual(60_000);
    expect(server.httpServer.headersTimeout).toBeGreaterThan(server.httpServer.keepAliveTimeout);
  });

  it('streams to the gateway, for the customer its token names', async () => {
    const greeting = greet({
      [GATEWAY_PARAM]: SECRET,
      authorization: `Bearer ${developmentToken('alice')}`,
    });

    expect(await greeting.next(1)).toEqual([{ greeting: 'hello alice' }]);
  });

  it.each([
    ['no credential', {}],
    ['a wrong credential', { [GATEWAY_PARAM]: 'guessed' }],
  ])('refuses a connection with %s with 4403, whatever token it carries', async (_, shown) => {
    const refused = greet({ ...shown, authorization: `Bearer ${developmentToken('alice')}` });

    await refused.ended();
    expect(refused.received).toEqual([]);
    expect(refused.errors).toMatchObject([{ code: 4403 }]);
  });

  it.each([
    ['no token', {}, /^missing Authorization header/],
    [
      'an expired token',
      { authorization: `Bearer ${developmentToken('alice', { expiresIn: -60 })}` },
      /^token expired at /,
    ],
    [
      'a token signed with another secret',
      { authorization: `Bearer ${developmentToken('alice', { secret: 'x'.repeat(32) })}` },
      /^token refused \(invalid signature\)/,
    ],
  ])(
    'answers the gateway with %s UNAUTHENTICATED, as an error of that subscription',
    async (_, token, message) => {
      const refused = greet({ [GATEWAY_PARAM]: SECRET, ...token });

      await refused.ended();
      expect(refused.received).toEqual([]);
      expect(refused.errors).toEqual([
        {
          message: expect.stringMatching(message) as unknown,
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ]);
    },
  );
});
