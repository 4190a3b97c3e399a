import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql as execute } from 'graphql';
import gql from 'graphql-tag';
import { createServer, type Server } from 'node:http';

/** A subgraph with a paged list and a recursive field, to reach each limit through the gateway. */
export const itemsSdl = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    items(first: Int = 20): [Item!]!
    item(id: ID!): Item
  }
  type Item {
    id: ID!
    parent: Item
    children(first: Int = 20): [Item!]!
  }
`;

const itemsOf = (first: number) => Array.from({ length: first }, (_, i) => ({ id: String(i) }));

const schema = buildSubgraphSchema({
  typeDefs: gql(itemsSdl),
  resolvers: {
    Query: {
      items: (_: unknown, { first }: { first: number }) => itemsOf(first),
      item: (_: unknown, { id }: { id: string }) => ({ id }),
    },
    Item: {
      parent: ({ id }: { id: string }) => ({ id: `${id}.parent` }),
      children: (_: unknown, { first }: { first: number }) => itemsOf(first),
    },
  },
});

export const startItemsSubgraph = async (port: number): Promise<Server> => {
  const server = createServer((request, response) => {
    if (request.url === '/health/ready') return void response.end('{}');
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      void execute({ schema, source: query, variableValues: variables ?? null }).then((result) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(result));
      });
    });
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
};
