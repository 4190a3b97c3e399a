import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './log';
import { metricsText } from './metrics';
import { inRequestSpan } from './tracing';

export interface GraphQLHttpOptions<Ctx extends BaseContext> {
  readonly port: number;
  readonly host: string;
  /** Where a failure that the answer cannot explain (a 500, a failed readiness check) is logged. */
  readonly log: Logger;
  /** Builds the resolvers' context for one request. */
  readonly context: (request: IncomingMessage) => Promise<Ctx>;
  /** `/health/ready` answers 200 while this reports no problem, 503 with the problems otherwise. */
  readonly ready: () => Promise<Readiness>;
  readonly maxBodyBytes?: number;
  /** Runs before the body is read: a refusal is sent as it is, undefined lets the request in. */
  readonly admit?: (request: IncomingMessage) => Promise<HttpRefusal | undefined>;
}

/** What `/health/ready` shows: why the process is not ready, if it is not, and each part's state. */
export interface Readiness {
  readonly problems: readonly string[];
  readonly parts?: Readonly<Record<string, unknown>>;
}

/** An answer that ends a request before GraphQL sees it, such as a rate limiter's 429. */
export interface HttpRefusal {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** How long an idle kept-alive connection stays open: longer than any client waits to reuse it. */
export const KEEP_ALIVE_MS = 120_000;

export interface GraphQLHttpServer {
  readonly url: string;
  readonly httpServer: Server;
  stop(): Promise<void>;
}

class BodyTooLarge extends Error {}

const readBody = async (request: IncomingMessage, limit: number): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
) => {
  response.writeHead(status, { ...headers, 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

/**
 * Serves an Apollo Server on `/graphql` over node:http, with health endpoints beside it. The
 * http.Server is ours so the gateway can attach its websocket server to the same port.
 */
export const createGraphQLHttpServer = <Ctx extends BaseContext>(
  options: GraphQLHttpOptions<Ctx>,
): {
  httpServer: Server;
  listen: (apollo: ApolloServer<Ctx>) => Promise<GraphQLHttpServer>;
} => {
  const limit = options.maxBodyBytes ?? 1_000_000;
  let apollo: ApolloServer<Ctx> | undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health/live') return sendJson(response, 200, { status: 'live' });
    if (url.pathname === '/metrics') {
      const { contentType, body } = await metricsText();
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
      return;
    }
    if (url.pathname === '/health/ready') {
      const { problems, parts } = await options.ready().catch((error: unknown): Readiness => {
        options.log.error('the readiness check failed', { error });
        return { problems: [`readiness check failed: ${String(error)}`] };
      });
      return problems.length === 0
        ? sendJson(response, 200, { status: 'ready', ...(parts ? { parts } : {}) })
        : sendJson(response, 503, { status: 'not ready', problems, ...(parts ? { parts } : {}) });
    }
    if (url.pathname !== '/graphql' || !apollo) {
      return sendJson(response, 404, { error: 'not found; GraphQL is served at /graphql' });
    }
    const refusal = await options.admit?.(request);
    if (refusal) return sendJson(response, refusal.status, refusal.body, refusal.headers);
    let raw: string;
    try {
      raw = await readBody(request, limit);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) {
        // The client's connection failed (it went away, or sent a broken stream): not ours.
        options.log.warn('could not read a request body', { error });
        return sendJson(response, 400, {
          errors: [
            { message: 'the request body could not be read', extensions: { code: 'BAD_REQUEST' } },
          ],
        });
      }
      return sendJson(response, 413, {
        errors: [
          {
            message: `request body is larger than ${limit} bytes; send a smaller query or variables`,
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = raw;
    if (headers.get('content-type')?.startsWith('application/json') && raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(response, 400, {
          errors: [
            { message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } },
          ],
        });
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
      context: () => options.context(request),
    });
    for (const [key, value] of result.headers) response.setHeader(key, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };

  const httpServer = createServer(
    // The gateway keeps connections to the subgraphs open and never times them out itself: a
    // server that closed an idle one after Node's default 5 s could close it just as the gateway
    // sends on it, and that request would fail as "could not be reached".
    { keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1_000 },
    (request, response) => {
      inRequestSpan(request, () => handle(request, response)).catch((error: unknown) => {
        // Apollo answers every GraphQL error itself: what lands here is a fault of this server.
        const path = request.url?.split('?')[0];
        options.log.error('request failed; answered 500', { method: request.method, path, error });
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
        else response.end();
      });
    },
  );

  return {
    httpServer,
    listen: async (server) => {
      apollo = server;
      await server.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(options.port, options.host, () => resolve());
      });
      const { port } = httpServer.address() as AddressInfo;
      return {
        url: `http://${options.host}:${port}/graphql`,
        httpServer,
        // Apollo's drain plugin (installed by the caller) closes the HTTP server gracefully.
        stop: () => server.stop(),
      };
    },
  };
};
