import { buildSubgraphSchema } from '@apollo/subgraph';
import { ManagedProcess, freePort, graphql, waitFor } from '@orderflow/stack';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const startGreetingSubgraph = async (port: number): Promise<Server> => {
  const server = createServer((request, response) => {
    if (request.url === '/health/ready') return void response.end('{}');
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

describe('the gateway process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-gateway-'));
  let subgraph: Server | undefined;
  let gateway: ManagedProcess | undefined;
  let url = '';

  const stopSubgraph = async () => {
    const server = subgraph;
    subgraph = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  };

  beforeAll(async () => {
    const subgraphPort = await freePort();
    subgraph = await startGreetingSubgraph(subgraphPort);
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
    const result = await graphql(`${url}/graphql`, '{ greeting }');
    expect(result).toEqual({ data: { greeting: 'hello through the gateway' } });
  });

  it('is not ready while a subgraph is down', async () => {
    await stopSubgraph();
    await waitFor(
      'readiness to drop',
      async () => (await fetch(`${url}/health/ready`)).status === 503,
    );
  });
});

describe('the gateway configuration', () => {
  it('refuses bad settings, naming each variable, and exits non-zero', () => {
    const result = spawnSync(process.execPath, [resolve(__dirname, '../dist/main.js')], {
      env: { ...process.env, SUBGRAPH_ORDER_URL: 'not a url', PORT: 'x' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/SUBGRAPH_ORDER_URL: expected a URL/);
    expect(result.stderr).toMatch(/PORT:/);
  });
});
