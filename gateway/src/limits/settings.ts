import { z } from 'zod';
import type { SubscriptionLimits } from '../subscriptions/quota';

export interface LimitSettings {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxBodyBytes: number;
  readonly rateLimit: RateLimitSettings;
  /** Off in production: the schema is published as the supergraph, not served to every caller. */
  readonly introspection: boolean;
  /** Events one subscription may hold for a client that does not read them before it is ended. */
  readonly subscriptionBacklog: number;
  /** Bytes a client's socket may hold unsent (results it does not take) before it is ended. */
  readonly subscriptionUnsentBytes: number;
  readonly subscriptions: SubscriptionLimits;
}

export interface RateLimitSettings {
  readonly perMinute: number;
  /** How many requests a client may send at once before the per-minute rate applies. */
  readonly burst: number;
}

const whole = (min: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(min, `expected ${min} or more`);

/** The gateway's limit variables, for config.ts's schema; docs/services/gateway.md lists them. */
export const limitVariables = {
  GATEWAY_MAX_DEPTH: whole(1).default(12),
  GATEWAY_MAX_COST: whole(1).default(5000),
  GATEWAY_MAX_ALIASES: whole(0).default(30),
  GATEWAY_MAX_BODY_BYTES: whole(1).default(1_000_000),
  GATEWAY_RATE_LIMIT_PER_MINUTE: whole(1).default(600),
  GATEWAY_RATE_LIMIT_BURST: whole(1).optional(),
  GATEWAY_SUBSCRIPTION_BACKLOG: whole(1).default(1000),
  GATEWAY_SUBSCRIPTION_UNSENT_BYTES: whole(1).default(4_194_304),
  GATEWAY_SUBSCRIPTIONS_PER_CONNECTION: whole(1).default(20),
  GATEWAY_SUBSCRIPTIONS_PER_CUSTOMER: whole(1).default(50),
  NODE_ENV: z.string().optional(),
};

type LimitVariables = z.infer<z.ZodObject<typeof limitVariables>>;

export const limitSettings = (variables: LimitVariables): LimitSettings => ({
  maxDepth: variables.GATEWAY_MAX_DEPTH,
  maxCost: variables.GATEWAY_MAX_COST,
  maxAliases: variables.GATEWAY_MAX_ALIASES,
  maxBodyBytes: variables.GATEWAY_MAX_BODY_BYTES,
  rateLimit: {
    perMinute: variables.GATEWAY_RATE_LIMIT_PER_MINUTE,
    // Ten seconds' worth by default: enough for a page that fires its queries together.
    burst:
      variables.GATEWAY_RATE_LIMIT_BURST ?? Math.ceil(variables.GATEWAY_RATE_LIMIT_PER_MINUTE / 6),
  },
  introspection: variables.NODE_ENV !== 'production',
  subscriptionBacklog: variables.GATEWAY_SUBSCRIPTION_BACKLOG,
  subscriptionUnsentBytes: variables.GATEWAY_SUBSCRIPTION_UNSENT_BYTES,
  subscriptions: {
    perConnection: variables.GATEWAY_SUBSCRIPTIONS_PER_CONNECTION,
    perCustomer: variables.GATEWAY_SUBSCRIPTIONS_PER_CUSTOMER,
  },
});
