import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { HttpRefusal } from './http-server';

/** The header (and graphql-ws connection parameter) in which the gateway shows its credential. */
export const GATEWAY_HEADER = 'x-orderflow-gateway';
export const GATEWAY_PARAM = 'gateway';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether `presented` is the gateway's secret, compared in constant time. */
export const isGateway = (secret: string, presented: unknown): boolean =>
  typeof presented === 'string' && timingSafeEqual(digest(secret), digest(presented));

export const notTheGateway: HttpRefusal = {
  status: 403,
  body: {
    errors: [
      {
        message: 'this subgraph answers only the gateway; send your request to the gateway',
        extensions: { code: 'FORBIDDEN' },
      },
    ],
  },
};

/**
 * Subgraphs answer only the gateway, which proves itself with SUBGRAPH_CALLER_SECRET; in
 * production the secret is required. (Unset elsewhere: a test may call a subgraph directly.)
 */
export const callerSecretInProduction = (
  settings: { NODE_ENV?: string | undefined; SUBGRAPH_CALLER_SECRET?: string | undefined },
  context: z.RefinementCtx,
): void => {
  if (settings.NODE_ENV === 'production' && settings.SUBGRAPH_CALLER_SECRET === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['SUBGRAPH_CALLER_SECRET'],
      message:
        'is required in production: the secret the gateway shows every subgraph, so that only ' +
        'the gateway is answered (at least 32 random characters, the same for every process)',
    });
  }
};
