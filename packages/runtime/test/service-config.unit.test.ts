import { developmentSecret } from '@orderflow/auth';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, serviceConfig } from '../src';

const production = {
  NODE_ENV: 'production',
  AUTH_JWT_SECRET: 'x'.repeat(32),
  SUBGRAPH_CALLER_SECRET: 'c'.repeat(32),
  NATS_USER: 'inventory',
  NATS_PASSWORD: 'p'.repeat(32),
};

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
    const caller = {
      SUBGRAPH_CALLER_SECRET: 'c'.repeat(32),
      NATS_USER: 'inventory',
      NATS_PASSWORD: 'p'.repeat(32),
    };
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

  it('requires in production a NATS user of its own, whose permissions bound what it may publish', () => {
    const anonymous = Object.fromEntries(
      Object.entries(production).filter(([name]) => !name.startsWith('NATS_')),
    );
    expect(() => load(anonymous)).toThrow(/NATS_USER: required in production/);
    expect(load(production).NATS_USER).toBe('inventory');
  });

  it('refuses a NATS user without a password, and a password without a user', () => {
    expect(() => load({ NATS_USER: 'inventory' })).toThrow(
      /NATS_PASSWORD: NATS_USER and NATS_PASSWORD/,
    );
    expect(() => load({ NATS_PASSWORD: 'p' })).toThrow(/NATS_USER: NATS_USER and NATS_PASSWORD/);
  });

  it('reads a secret from the file <NAME>_FILE names, and names the variable when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderflow-secrets-'));
    writeFileSync(join(dir, 'nats'), 'from-a-file\n');
    writeFileSync(join(dir, 'jwt'), 'j'.repeat(32));
    const config = load({
      NATS_USER: 'inventory',
      NATS_PASSWORD_FILE: join(dir, 'nats'),
      AUTH_JWT_SECRET_FILE: join(dir, 'jwt'),
    });
    expect(config.NATS_PASSWORD).toBe('from-a-file');
    expect(config.AUTH_JWT_SECRET).toBe('j'.repeat(32));
    expect(() =>
      load({ NATS_USER: 'inventory', NATS_PASSWORD_FILE: join(dir, 'missing') }),
    ).toThrow(/NATS_PASSWORD_FILE: cannot read .*missing/);
  });

  it('reads only the secret settings from files: other *_FILE variables are not its business', () => {
    expect(() => load({ TF_CLI_CONFIG_FILE: '/nonexistent/.terraformrc' })).not.toThrow();
  });
});
