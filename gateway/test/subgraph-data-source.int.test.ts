import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { waitFor } from '@orderflow/stack';
import { parse, type OperationDefinitionNode } from 'graphql';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphDataSource } from '../src/subgraph-data-source';

type Ctx = { readonly caller: string; readonly requestId: string };

/** A subgraph that holds every answer until released, and counts what it was sent. */
const startHeldSubgraph = async () => {
  const received: { authorization: string | undefined; requestId: string | undefined }[] = [];
  let release: () => void = () => undefined;
  let held = new Promise<void>((resolve) => (release = resolve));
  const server: Server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on('end', () => {
      received.push({
        authorization: request.headers.authorization,
        requestId: request.headers['x-request-id'] as string | undefined,
      });
      void held.then(() => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ data: { answer: received.length } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    /** Answers everything held, and holds what comes next. */
    answer: () => {
      release();
      held = new Promise<void>((resolve) => (release = resolve));
    },
    stop: async () => {
      release();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
};

const fetchOf = (operation: 'query' | 'mutation', caller: string, requestId: string) => {
  const document = parse(`${operation} { answer }`);
  return {
    kind: 'incoming operation',
    request: { query: '{ answer }', variables: {} },
    context: { caller, requestId },
    incomingRequestContext: {
      operation: document.definitions[0] as OperationDefinitionNode,
    },
  } as unknown as GraphQLDataSourceProcessOptions<Ctx>;
};

describe('SubgraphDataSource', () => {
  let subgraph: Awaited<ReturnType<typeof startHeldSubgraph>>;
  let source: SubgraphDataSource<Ctx>;

  beforeEach(async () => {
    subgraph = await startHeldSubgraph();
    source = new SubgraphDataSource<Ctx>({
      url: subgraph.url,
      headers: (context) => ({
        authorization: `Bearer ${context.caller ?? ''}`,
        'x-request-id': context.requestId ?? '',
      }),
      callerOf: (headers) => headers.authorization ?? '',
      failed: (error) => {
        throw error;
      },
    });
  });
  afterEach(() => subgraph.stop());

  const sent = (count: number) =>
    waitFor(`${count} fetches at the subgraph`, () => subgraph.received.length >= count);

  it('sends identical reads of one caller in flight together once, and answers each', async () => {
    const first = source.process(fetchOf('query', 'alice', 'r1'));
    const second = source.process(fetchOf('query', 'alice', 'r2'));
    await sent(1);
    subgraph.answer();

    expect(await first).toEqual({ data: { answer: 1 } });
    expect(await second).toEqual({ data: { answer: 1 } });
    expect(await first).not.toBe(await second);
    expect(subgraph.received).toEqual([{ authorization: 'Bearer alice', requestId: 'r1' }]);
  });

  it('shares nothing between callers, with a mutation, or once the answer is in', async () => {
    const alice = source.process(fetchOf('query', 'alice', 'r1'));
    const bob = source.process(fetchOf('query', 'bob', 'r2'));
    const mutations = [
      source.process(fetchOf('mutation', 'alice', 'r3')),
      source.process(fetchOf('mutation', 'alice', 'r4')),
    ];
    await sent(4);
    subgraph.answer();
    await Promise.all([alice, bob, ...mutations]);
    const again = source.process(fetchOf('query', 'alice', 'r5'));
    await sent(5);
    subgraph.answer();

    expect(await again).toEqual({ data: { answer: 5 } });
    expect(subgraph.received.map((fetch) => fetch.requestId).sort()).toEqual([
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
    ]);
  });
});
