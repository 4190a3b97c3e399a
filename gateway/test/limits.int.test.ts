import { mintDevelopmentToken } from '@orderflow/auth';
import { ManagedProcess, freePort, waitFor } from '@orderflow/stack';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeSupergraph } from '../src/compose';
import { itemsSdl, startItemsSubgraph } from './limits/items-subgraph';

const secret = 'limits-test-secret-0123456789';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

/** A client of its own for each test, so one test's requests never spend another's rate limit. */
const client = (name: string) => ({
  authorization: `Bearer ${mintDevelopmentToken({ sub: name, expiresIn: 600, secret })}`,
});

const answer = async (response: Response): Promise<Answer> => ({
  status: response.status,
  headers: response.headers,
  body: (await response.json()) as Answer['body'],
});

const post = async (url: string, headers: Record<string, string>, body: unknown) =>
  answer(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );

/** A GET, with the header Apollo's CSRF prevention asks of a GET that has no JSON content-type. */
const get = async (
  url: string,
  headers: Record<string, string>,
  params: Record<string, unknown>,
) => {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    target.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return answer(
    await fetch(target, {
      headers: { 'apollo-require-preflight': 'true', ...headers },
    }),
  );
};

const codeOf = (result: Answer) => result.body.errors?.[0]?.extensions?.code;

const persisted = (query: string) => ({
  persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') },
});

describe('the gateway limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-limits-'));
  const gateways: ManagedProcess[] = [];
  let subgraph: Server | undefined;
  let development = '';
  let production = '';

  const startGateway = async (name: string, env: Record<string, string>, subgraphPort: number) => {
    const port = await freePort();
    const gateway = new ManagedProcess({
      name,
      command: process.execPath,
      args: [resolve(__dirname, '../dist/main.js')],
      env: {
        PORT: String(port),
        SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
        SUBGRAPH_ITEMS_URL: `http://127.0.0.1:${subgraphPort}/graphql`,
        AUTH_JWT_SECRET: secret,
        LOG_LEVEL: 'error',
        ...env,
      },
    });
    gateways.push(gateway);
    gateway.start();
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${name} to be ready`, async () => (await fetch(`${url}/health/ready`)).ok);
    return `${url}/graphql`;
  };

  beforeAll(async () => {
    const subgraphPort = await freePort();
    subgraph = await startItemsSubgraph(subgraphPort);
    writeFileSync(
      join(dir, 'supergraph.graphql'),
      composeSupergraph([{ name: 'items', url: 'http://127.0.0.1:1/graphql', sdl: itemsSdl }]),
    );
    [development, production] = await Promise.all([
      startGateway(
        'development gateway',
        {
          NODE_ENV: 'development',
          GATEWAY_MAX_BODY_BYTES: '5000',
          // One request every 10 s after a burst of 5: a test's requests never see a refill.
          GATEWAY_RATE_LIMIT_PER_MINUTE: '6',
          GATEWAY_RATE_LIMIT_BURST: '5',
        },
        subgraphPort,
      ),
      startGateway(
        'production gateway',
        { NODE_ENV: 'production', SUBGRAPH_CALLER_SECRET: 'limits-test-caller-secret' },
        subgraphPort,
      ),
    ]);
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    if (subgraph) {
      const server = subgraph;
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an operation deeper than GATEWAY_MAX_DEPTH (12) with QUERY_TOO_DEEP', async () => {
    const nested = (levels: number): string =>
      levels === 1 ? 'id' : `parent { ${nested(levels - 1)} }`;
    const at = (depth: number) => `{ item(id: "1") { ${nested(depth - 1)} } }`;
    const headers = client('depth');
    expect(await post(development, headers, { query: at(12) })).toMatchObject({ status: 200 });
    const refused = await post(development, headers, { query: at(13) });
    expect(refused.status).toBe(400);
    expect(codeOf(refused)).toBe('QUERY_TOO_DEEP');
    expect(refused.body.errors?.[0]?.message).toMatch(/13 fields deep, more than the limit of 12/);
  });

  it('refuses an operation costlier than GATEWAY_MAX_COST (5000) with QUERY_TOO_COSTLY', async () => {
    // items + 50 x (children + 100 x id) = 5051; with first: 49 it is 4950.
    const query = 'query ($first: Int) { items(first: $first) { children(first: 100) { id } } }';
    const headers = client('cost');
    const admitted = await post(development, headers, { query, variables: { first: 49 } });
    expect(admitted.status).toBe(200);
    expect(admitted.body.data?.items).toHaveLength(49);
    const refused = await post(development, headers, { query, variables: { first: 50 } });
    expect(refused.status).toBe(400);
    expect(codeOf(refused)).toBe('QUERY_TOO_COSTLY');
    expect(refused.body.errors?.[0]?.message).toBe(
      'the operation costs 5051, more than the limit of 5000; ask for fewer items with `first` or fewer nested lists',
    );
  });

  it('refuses more than GATEWAY_MAX_ALIASES (30) aliases with TOO_MANY_ALIASES', async () => {
    const aliased = (count: number) =>
      `{ ${Array.from({ length: count }, (_, i) => `a${i}: item(id: "${i}") { id }`).join(' ')} }`;
    const headers = client('aliases');
    expect(await post(development, headers, { query: aliased(30) })).toMatchObject({ status: 200 });
    const refused = await post(development, headers, { query: aliased(31) });
    expect(refused.status).toBe(400);
    expect(codeOf(refused)).toBe('TOO_MANY_ALIASES');
  });

  it('refuses a body larger than GATEWAY_MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const headers = client('body');
    const body = (padding: number) => ({
      query: '{ item(id: "1") { id } }',
      variables: { padding: 'x'.repeat(padding) },
    });
    expect(await post(development, headers, body(4000))).toMatchObject({ status: 200 });
    const refused = await post(development, headers, body(5000));
    expect(refused.status).toBe(413);
    expect(codeOf(refused)).toBe('PAYLOAD_TOO_LARGE');
    expect(refused.body.errors?.[0]?.message).toMatch(/larger than 5000 bytes/);
  });

  it('refuses a client over its rate with 429, Retry-After and RATE_LIMITED', async () => {
    const headers = client('rate');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await post(development, headers, { query: '{ __typename }' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await post(development, headers, { query: '{ __typename }' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.message).toMatch(
      /^rate limit of 6 requests per minute exceeded; retry in \d+ s$/,
    );
    // Another client still gets in.
    expect(await post(development, client('other'), { query: '{ __typename }' })).toMatchObject({
      status: 200,
    });
  });

  it.each([
    [
      'several operations and no operationName',
      { query: 'query A { __typename } query B { __typename }' },
      'OPERATION_NAME_REQUIRED',
      'the document has 2 operations (A, B); name the one to run in operationName',
    ],
    [
      'an unknown operationName',
      { query: 'query A { __typename }', operationName: 'B' },
      'UNKNOWN_OPERATION_NAME',
      'the document has no operation named "B"; it has A',
    ],
    [
      'a persisted query of another version',
      { extensions: { persistedQuery: { version: 2, sha256Hash: 'x' } } },
      'PERSISTED_QUERY_VERSION_UNSUPPORTED',
      'extensions.persistedQuery.version must be 1',
    ],
    [
      'a persisted query whose hash does not match',
      {
        query: '{ __typename }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      },
      'PERSISTED_QUERY_HASH_MISMATCH',
      'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it',
    ],
  ])('answers %s with 400 and its own code', async (_case, body, code, message) => {
    const result = await post(development, client('mistakes'), body);

    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([{ message, extensions: { code } }]);
  });

  it('registers and runs automatic persisted queries over POST', async () => {
    const query = '{ item(id: "post") { id } }';
    const headers = client('apq post');
    const unknown = await post(development, headers, { extensions: persisted(query) });
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(development, headers, { query, extensions: persisted(query) });
    expect(registered.body).toEqual({ data: { item: { id: 'post' } } });
    const byHash = await post(development, headers, { extensions: persisted(query) });
    expect(byHash.body).toEqual({ data: { item: { id: 'post' } } });
  });

  it('registers and runs automatic persisted queries over GET', async () => {
    const query = 'query ($id: ID!) { item(id: $id) { id } }';
    const headers = client('apq get');
    const params = { extensions: persisted(query), variables: { id: 'get' } };
    const unknown = await get(development, headers, params);
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await get(development, headers, { ...params, query });
    expect(registered.body).toEqual({ data: { item: { id: 'get' } } });
    const byHash = await get(development, headers, params);
    expect(byHash.body).toEqual({ data: { item: { id: 'get' } } });
  });

  it('answers introspection outside production', async () => {
    const result = await post(development, client('introspection'), {
      query: '{ __schema { queryType { name } } }',
    });
    expect(result.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('refuses introspection under NODE_ENV=production with INTROSPECTION_DISABLED', async () => {
    const refused = await post(production, client('introspection'), {
      query: '{ __schema { queryType { name } } }',
    });
    expect(refused.status).toBe(400);
    expect(codeOf(refused)).toBe('INTROSPECTION_DISABLED');
    expect(refused.body.errors?.[0]?.message).toMatch(/^introspection is disabled in production/);
  });
});
