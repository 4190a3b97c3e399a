import { developmentSecret } from '@orderflow/auth';
import { ConfigError, loadConfig, serviceConfig } from '../src';

describe("a service's configuration", () => {
  const load = (env: Record<string, string>) => loadConfig(serviceConfig(4001), env);

  it('refuses the public development secret in production, saying what to set', () => {
    const cases: Record<string, string>[] = [
      { NODE_ENV: 'production' },
      { NODE_ENV: 'production', AUTH_JWT_SECRET: developmentSecret },
    ];
    for (const env of cases) {
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(
        /AUTH_JWT_SECRET: is the public development secret.*set it to a secret of your own.*or set AUTH_JWKS_URL/,
      );
    }
  });

  it('starts in production with a secret of its own, or with an identity provider’s keys', () => {
    const caller = { SUBGRAPH_CALLER_SECRET: 'c'.repeat(32) };
    expect(
      load({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32), ...caller }).AUTH_JWT_SECRET,
    ).toBe('x'.repeat(32));
    expect(
      load({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://issuer.example/jwks.json', ...caller })
        .AUTH_JWKS_URL,
    ).toBe('https://issuer.example/jwks.json');
  });

  it('requires in production the secret that shows a caller is the gateway', () => {
    expect(() => load({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /SUBGRAPH_CALLER_SECRET: is required in production/,
    );
  });

  it('keeps the development secret as the default outside production', () => {
    expect(load({}).AUTH_JWT_SECRET).toBe(developmentSecret);
  });
});
