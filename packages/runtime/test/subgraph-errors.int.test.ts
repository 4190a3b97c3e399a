import type { VerifyAuthorization } from '@orderflow/auth';
import { DomainError } from '@orderflow/contracts';
import { subscribe, type Subscription } from '@orderflow/stack';
import { parse } from 'graphql';
import { startSubgraph, type GraphQLHttpServer, type RequestContext } from '../src';
import { captureLog, type LoggedError } from '../src/testing';

const typeDefs = parse(`
  type Query { broken: String, refused: String, fine: String }
  type Subscription { ticks: Int! }
`);

const GOOD = 'Bearer good-token';
const KEY_SET_DOWN = 'Bearer while-the-key-set-is-down';

/** Accepts one token, refuses the rest as the real verifier does, and fails on one as if its key set were away. */
const verify: VerifyAuthorization = async (authorization) => {
  if (authorization === KEY_SET_DOWN) {
    throw new Error('the key set cannot be read', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:1'),
    });
  }
  if (authorization !== GOOD)
    throw new DomainError('UNAUTHENTICATED', 'missing Authorization header');
  return { customerId: 'alice', admin: false, token: 'good-token' };
};

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[];
  };
}

/**
 * What a subgraph logs when something fails: each unexpected failure exactly once, with its stack
 * and causes, while the caller is told only that it happened; a refusal the caller can act on is
 * not an error of the service, and is not logged as one.
 */
describe('a subgraph that fails', () => {
  const captured = captureLog({ service: 'test' });
  let server: GraphQLHttpServer;
  let readinessFails = false;
  let failTicks = false;
  const open: Subscription<unknown>[] = [];

  const post = async (query: string, authorization = GOOD): Promise<Answer> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
  };

  const errorRecords = () => captured.at('error');
  const loggedError = (index = 0) => errorRecords()[index]?.error as LoggedError;

  beforeAll(async () => {
    server = await startSubgraph<RequestContext>({
      name: 'failing',
      typeDefs,
      resolvers: {
        Query: {
          broken: () => {
            throw new Error('the ledger is inconsistent', {
              cause: new Error('row 7 has no owner'),
            });
          },
          refused: () => {
            throw new DomainError('BAD_USER_INPUT', 'quantity must be between 1 and 1000');
          },
          fine: () => 'fine',
        },
        Subscription: {
          ticks: {
            subscribe: async function* () {
              yield { ticks: 1 };
              if (failTicks) throw new Error('the feed broke', { cause: new Error('NATS closed') });
              yield { ticks: 2 };
            },
          },
        },
      },
      port: 0,
      host: '127.0.0.1',
      log: captured.log,
      verify,
      context: (base) => base,
      ready: async () => {
        if (readinessFails) throw new Error('the readiness check itself broke');
        return { problems: [] };
      },
    });
  });
  beforeEach(() => {
    captured.records.length = 0;
    readinessFails = false;
    failTicks = false;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('masks an unexpected resolver error, and logs it once with its stack and its cause', async () => {
    const answer = await post('{ broken }');

    expect(answer.body).toEqual({
      data: { broken: null },
      errors: [
        {
          message: 'internal error; it has been logged',
          path: ['broken'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    expect(answer.text).not.toContain('ledger');
    expect(answer.text).not.toContain('row 7');

    expect(errorRecords()).toHaveLength(1);
    expect(errorRecords()[0]).toMatchObject({ service: 'test', path: ['broken'] });
    expect(loggedError()).toMatchObject({
      name: 'Error',
      message: 'the ledger is inconsistent',
      cause: { name: 'Error', message: 'row 7 has no owner' },
    });
    expect(loggedError().stack).toMatch(/^Error: the ledger is inconsistent\n\s+at /);
    expect((loggedError().cause as LoggedError).stack).toMatch(/row 7 has no owner\n\s+at /);
  });

  it("answers a domain refusal with its code and message, and logs nothing: it is the caller's", async () => {
    const answer = await post('{ refused }');

    expect(answer.body.errors).toMatchObject([
      {
        message: 'quantity must be between 1 and 1000',
        path: ['refused'],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    expect(captured.records.filter(({ level }) => level !== 'debug')).toEqual([]);
  });

  it('answers a refused token with 401 UNAUTHENTICATED, and logs nothing', async () => {
    const answer = await post('{ fine }', 'Bearer forged');

    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(captured.records.filter(({ level }) => level !== 'debug')).toEqual([]);
  });

  it('answers 503 AUTH_UNAVAILABLE when tokens cannot be verified, and logs why once', async () => {
    const answer = await post('{ fine }', KEY_SET_DOWN);

    expect(answer.status).toBe(503);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('AUTH_UNAVAILABLE');
    expect(answer.text).not.toContain('ECONNREFUSED');
    expect(errorRecords()).toHaveLength(1);
    expect(loggedError()).toMatchObject({
      message: 'the key set cannot be read',
      stack: expect.stringMatching(/\n\s+at /) as unknown,
      cause: { message: 'connect ECONNREFUSED 127.0.0.1:1' },
    });
  });

  it('reports a readiness check that throws as not ready, and logs it once', async () => {
    readinessFails = true;

    const response = await fetch(new URL('/health/ready', server.url));

    expect(response.status).toBe(503);
    expect(errorRecords()).toHaveLength(1);
    expect(loggedError()).toMatchObject({
      message: 'the readiness check itself broke',
      stack: expect.stringMatching(/\n\s+at /) as unknown,
    });
  });

  it('ends a subscription whose stream fails with an internal error, logged once with its stack', async () => {
    failTicks = true;
    const ticks = subscribe<{ ticks: number }>(
      server.url,
      'subscription { ticks }',
      {},
      {
        authorization: GOOD,
      },
    );
    open.push(ticks);

    await ticks.ended();

    expect(ticks.received).toEqual([{ ticks: 1 }]);
    expect(ticks.errors).toMatchObject([
      {
        message: 'internal error; it has been logged',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(errorRecords()).toHaveLength(1);
    expect(loggedError()).toMatchObject({
      message: 'the feed broke',
      stack: expect.stringMatching(/^Error: the feed broke\n\s+at /) as unknown,
      cause: { message: 'NATS closed' },
    });
  });
});
