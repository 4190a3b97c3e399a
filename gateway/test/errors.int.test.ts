import { authConfig, createVerifier } from '@orderflow/auth';
import { startSubgraph, type GraphQLHttpServer, type RequestContext } from '@orderflow/runtime';
import { captureLog, type LoggedError } from '@orderflow/runtime/testing';
import { bearer, developmentToken, freePort, graphql } from '@orderflow/stack';
import { parse } from 'graphql';
import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import { composeSupergraph } from '../src/compose';
import { startGateway } from '../src/gateway';
import { limitSettings, limitVariables } from '../src/limits';

const federation =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const sdl = {
  ledger: `${federation}\ntype Query { balance: Int }`,
  legacy: `${federation}\ntype Query { legacy: String }`,
  away: `${federation}\ntype Query { away: String }`,
};

/** A subgraph that is up and answers, but every request fails with 500 and a page of text. */
const startExplodingSubgraph = async (): Promise<Server> => {
  const server = createServer((_request, response) => {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end('upstream exploded');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
};

const urlOf = (server: Server) => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}/graphql`;
};

/**
 * What the gateway logs when a subgraph fails: each failure once, with a stack, whichever way the
 * subgraph failed (a resolver error it answered, an error status, no answer at all).
 */
describe('the gateway, when a subgraph fails unexpectedly', () => {
  const gatewayLog = captureLog({ service: 'gateway' });
  const ledgerLog = captureLog({ service: 'ledger' });
  const token = developmentToken('alice');
  let ledger: GraphQLHttpServer;
  let legacy: Server;
  let gateway: GraphQLHttpServer;

  beforeAll(async () => {
    const verify = createVerifier(authConfig.parse({}));
    ledger = await startSubgraph<RequestContext>({
      name: 'ledger',
      typeDefs: parse(sdl.ledger),
      resolvers: {
        Query: {
          balance: () => {
            throw new Error('the ledger does not balance', {
              cause: new Error('entry 12 is missing'),
            });
          },
        },
      },
      port: 0,
      host: '127.0.0.1',
      log: ledgerLog.log,
      verify,
      context: (base) => base,
      ready: async () => ({ problems: [] }),
    });
    legacy = await startExplodingSubgraph();
    const placeholder = 'http://127.0.0.1:1/graphql';
    gateway = await startGateway({
      supergraphSdl: composeSupergraph([
        { name: 'ledger', url: placeholder, sdl: sdl.ledger },
        { name: 'legacy', url: placeholder, sdl: sdl.legacy },
        { name: 'away', url: placeholder, sdl: sdl.away },
      ]),
      subgraphUrls: {
        ledger: ledger.url,
        legacy: urlOf(legacy),
        // Free a moment ago and nothing listens there: the subgraph is down.
        away: `http://127.0.0.1:${await freePort()}/graphql`,
      },
      port: 0,
      host: '127.0.0.1',
      log: gatewayLog.log,
      authenticate: verify,
      limits: limitSettings(z.object(limitVariables).parse({})),
    });
  });
  beforeEach(() => {
    gatewayLog.records.length = 0;
    ledgerLog.records.length = 0;
  });
  afterAll(async () => {
    await gateway?.stop();
    await ledger?.stop();
    legacy?.closeAllConnections();
    await new Promise((done) => legacy?.close(done));
  });

  const ask = (query: string) => graphql(gateway.url, query, {}, bearer(token));
  const loggedError = () => gatewayLog.at('error')[0]?.error as LoggedError;

  it('logs a resolver error the subgraph answered once, naming the subgraph, with a stack', async () => {
    const result = await ask('{ balance }');

    expect(result.errors).toMatchObject([
      {
        message: 'internal error; it has been logged',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(gatewayLog.at('error')).toHaveLength(1);
    expect(gatewayLog.at('error')[0]).toMatchObject({ msg: 'request failed', path: ['balance'] });
    expect(loggedError()).toMatchObject({
      extensions: { serviceName: 'ledger', code: 'INTERNAL_SERVER_ERROR' },
      stack: expect.stringMatching(/\n\s+at /) as unknown,
    });
    // The subgraph logged the error itself, with its own stack and cause, once too.
    expect(ledgerLog.at('error')).toHaveLength(1);
    expect(ledgerLog.at('error')[0]?.error).toMatchObject({
      message: 'the ledger does not balance',
      cause: { message: 'entry 12 is missing' },
    });
  });

  it('logs a subgraph that answers with an error status once, with a stack', async () => {
    const result = await ask('{ legacy }');

    expect(result.errors).toHaveLength(1);
    // The client is not told the subgraph's internal address or what it answered.
    expect(JSON.stringify(result.errors)).not.toMatch(/upstream exploded|127\.0\.0\.1/);
    expect(gatewayLog.at('error')).toHaveLength(1);
    expect(gatewayLog.at('error')[0]).toMatchObject({
      msg: 'subgraph legacy answered with an error',
      subgraph: 'legacy',
    });
    expect(loggedError()).toMatchObject({
      message: '500: Internal Server Error',
      stack: expect.stringMatching(/\n\s+at /) as unknown,
      extensions: {},
      originalError: { message: expect.stringContaining('upstream exploded') as unknown },
    });
  });

  it('logs a subgraph that cannot be reached once, with the stack and the system error', async () => {
    const result = await ask('{ away }');

    expect(result.errors).toMatchObject([{ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }]);
    expect(gatewayLog.at('error')).toHaveLength(1);
    expect(gatewayLog.at('error')[0]).toMatchObject({
      msg: 'subgraph away could not be reached',
      subgraph: 'away',
    });
    expect(loggedError().stack).toMatch(/\n\s+at /);
    expect(JSON.stringify(loggedError())).toContain('ECONNREFUSED');
  });

  it("logs nothing as an error for the caller's own mistakes", async () => {
    const result = await ask('{ nonsense }');

    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(gatewayLog.at('error')).toEqual([]);
  });
});
