import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  bearer,
  developmentToken,
  ManagedProcess,
  freePort,
  graphql,
  waitFor,
} from '@orderflow/stack';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import gql from 'graphql-tag';
import { graphql as execute } from 'graphql';
import { composeSupergraph } from '../src/compose';

/** A one-field subgraph on node:http, so the gateway can be shown serving a supergraph of ours. */
const greetingSchema = buildSubgraphSchema({
  typeDefs: gql`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Query {
      greeting: String!
    }
  `,
  resolvers: { Query: { greeting: () => 'hello through the gateway' } },
});

/** Serves the greeting, remembering the Authorization header of each GraphQL request. */
const startGreetingSubgraph = async (port: number, authorizations: (string | undefined)[]) => {
  const server = createServer((request, response) => {
    if (request.url === '/health/ready') return void response.end('{}');
    authorizations.push(request.headers.authorization);
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      void execute({
        schema: greetingSchema,
        source: query,
        variableValues: variables ?? null,
      }).then((result) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(result));
      });
    });
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
};

/** The status and GraphQL errors of a request sent with `headers`. */
const post = async (url: string, headers: Record<string, string>) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ greeting }' }),
  });
  const body = (await response.json()) as {
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: response.status, errors: body.errors };
};

describe('the gateway process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-gateway-'));
  const logFile = join(dir, 'gateway.log');
  let subgraph: Server | undefined;
  let gateway: ManagedProcess | undefined;
  let url = '';
  const forwarded: (string | undefined)[] = [];
  const token = developmentToken('alice');

  const stopSubgraph = async () => {
    const server = subgraph;
    subgraph = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  };

  beforeAll(async () => {
    const subgraphPort = await freePort();
    subgraph = await startGreetingSubgraph(subgraphPort, forwarded);
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(
      supergraphPath,
      composeSupergraph([
        {
          name: 'greeting',
          url: 'http://127.0.0.1:1/graphql',
          sdl: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { greeting: String! }',
        },
      ]),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = new ManagedProcess({
      name: 'gateway',
      command: process.execPath,
      args: [resolve(__dirname, '../dist/main.js')],
      env: {
        PORT: String(port),
        SUPERGRAPH_PATH: supergraphPath,
        SUBGRAPH_GREETING_URL: `http://127.0.0.1:${subgraphPort}/graphql`,
        LOG_LEVEL: 'error',
      },
      output: { file: logFile },
    });
    gateway.start();
    await waitFor('the gateway to be ready', async () => (await fetch(`${url}/health/ready`)).ok);
  });

  afterAll(async () => {
    await gateway?.stop();
    await stopSubgraph();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the supergraph named by SUPERGRAPH_PATH, routed by SUBGRAPH_<NAME>_URL', async () => {
    const result = await graphql(`${url}/graphql`, '{ greeting }', {}, bearer(token));
    expect(result).toEqual({ data: { greeting: 'hello through the gateway' } });
  });

  it('forwards the verified token to the subgraphs, which verify it again', () => {
    expect(forwarded.at(-1)).toBe(`Bearer ${token}`);
  });

  it.each([
    ['no token', {}, /missing Authorization header/],
    ['another scheme', { authorization: 'Basic YWxpY2U6eA==' }, /must be "Bearer <token>"/],
    [
      'a token signed with another secret',
      bearer(developmentToken('alice', { secret: 'not-the-gateways-secret' })),
      /invalid signature/,
    ],
    [
      'an expired token',
      bearer(developmentToken('alice', { expiresIn: -60 })),
      /token expired at .*; mint one with `npm run token/,
    ],
  ])(
    'refuses a request with %s: 401 UNAUTHENTICATED, no subgraph asked',
    async (_case, headers, message) => {
      const asked = forwarded.length;

      const { status, errors } = await post(`${url}/graphql`, headers);

      expect(status).toBe(401);
      expect(errors).toEqual([
        {
          message: expect.stringMatching(message) as unknown,
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ]);
      expect(forwarded).toHaveLength(asked);
    },
  );

  it('is not ready while a subgraph is down, and says which', async () => {
    await stopSubgraph();
    await waitFor(
      'readiness to drop',
      async () => (await fetch(`${url}/health/ready`)).status === 503,
    );
    const body = (await (await fetch(`${url}/health/ready`)).json()) as { problems: string[] };
    expect(body.problems).toEqual([expect.stringMatching(/^subgraph greeting is not ready/)]);
  });

  it('answers SUBGRAPH_UNAVAILABLE while a subgraph is down, without its address, and logs the cause', async () => {
    const result = await graphql(`${url}/graphql`, '{ greeting }', {}, bearer(token));

    expect(result.errors).toEqual([
      {
        message: 'the greeting service is unavailable; try again shortly',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
      },
    ]);
    // The gateway's output reaches its log file through a pipe: wait for it to land.
    await waitFor('the cause in the gateway log', () =>
      readFileSync(logFile, 'utf8').includes('ECONNREFUSED'),
    );
  });
});

describe('the gateway configuration', () => {
  it('refuses bad settings, naming each variable, and exits non-zero', () => {
    const result = spawnSync(process.execPath, [resolve(__dirname, '../dist/main.js')], {
      env: {
        ...process.env,
        SUBGRAPH_ORDER_URL: 'not a url',
        PORT: 'x',
        AUTH_JWT_SECRET: 'short',
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/SUBGRAPH_ORDER_URL: expected a URL/);
    expect(result.stderr).toMatch(/PORT:/);
    expect(result.stderr).toMatch(/AUTH_JWT_SECRET: must be at least 16 characters/);
  });
});
