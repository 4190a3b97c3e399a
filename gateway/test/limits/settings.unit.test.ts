import { ConfigError } from '@orderflow/runtime';
import { loadGatewayConfig } from '../../src/config';
import { limitSettings } from '../../src/limits';

const limitsOf = (env: NodeJS.ProcessEnv) => limitSettings(loadGatewayConfig(env));

describe('the limit settings', () => {
  it('default to the documented values, introspection on outside production', () => {
    expect(limitsOf({})).toEqual({
      maxDepth: 12,
      maxCost: 5000,
      maxAliases: 30,
      maxBodyBytes: 1_000_000,
      rateLimit: { perMinute: 600, burst: 100 },
      introspection: true,
      subscriptionBacklog: 1000,
      subscriptionUnsentBytes: 4_194_304,
      subscriptions: { perConnection: 20, perCustomer: 50 },
    });
  });

  it('are read from GATEWAY_* variables and NODE_ENV', () => {
    const limits = limitsOf({
      GATEWAY_MAX_DEPTH: '8',
      GATEWAY_MAX_COST: '900',
      GATEWAY_MAX_ALIASES: '0',
      GATEWAY_MAX_BODY_BYTES: '4096',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '120',
      GATEWAY_SUBSCRIPTION_BACKLOG: '50',
      GATEWAY_SUBSCRIPTION_UNSENT_BYTES: '65536',
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'a secret of this deployment’s own',
      SUBGRAPH_CALLER_SECRET: 'the gateway shows the subgraphs this',
    });
    expect(limits).toEqual({
      maxDepth: 8,
      maxCost: 900,
      maxAliases: 0,
      maxBodyBytes: 4096,
      rateLimit: { perMinute: 120, burst: 20 },
      introspection: false,
      subscriptionBacklog: 50,
      subscriptionUnsentBytes: 65_536,
      subscriptions: { perConnection: 20, perCustomer: 50 },
    });
    expect(limitsOf({ GATEWAY_RATE_LIMIT_BURST: '7' }).rateLimit.burst).toBe(7);
  });

  it('refuse bad values, naming each variable', () => {
    const load = () =>
      loadGatewayConfig({
        GATEWAY_MAX_DEPTH: 'deep',
        GATEWAY_MAX_COST: '0',
        GATEWAY_RATE_LIMIT_BURST: '2.5',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/GATEWAY_MAX_DEPTH: expected a whole number/);
    expect(load).toThrow(/GATEWAY_MAX_COST: expected 1 or more/);
    expect(load).toThrow(/GATEWAY_RATE_LIMIT_BURST: expected a whole number/);
  });

  it('refuse the public development secret in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_JWT_SECRET: is the public development secret/,
    );
    expect(() =>
      loadGatewayConfig({
        NODE_ENV: 'production',
        AUTH_JWT_SECRET: 'y'.repeat(32),
        SUBGRAPH_CALLER_SECRET: 'z'.repeat(32),
      }),
    ).not.toThrow();
  });

  it('require the subgraph caller secret in production', () => {
    expect(() =>
      loadGatewayConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'y'.repeat(32) }),
    ).toThrow(/SUBGRAPH_CALLER_SECRET: is required in production/);
  });
});
