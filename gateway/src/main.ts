import '@orderflow/auth/dist/node-version';
import { createVerifier, developmentSecret } from '@orderflow/auth';
import { ConfigError, createLogger, Lifecycle } from '@orderflow/runtime';
import { readFileSync } from 'node:fs';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway';
import { limitSettings } from './limits';

const fail = (message: string, code: number) => {
  process.stderr.write(`gateway: ${message}\n`);
  process.exit(code);
};

const main = async () => {
  const config = loadGatewayConfig();
  const log = createLogger({ service: 'gateway' }, config.LOG_LEVEL);
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  } catch {
    return fail(
      `cannot read the supergraph at ${config.SUPERGRAPH_PATH}; run \`npm run compose\` or set SUPERGRAPH_PATH`,
      2,
    );
  }
  if (!config.AUTH_JWKS_URL && config.AUTH_JWT_SECRET === developmentSecret) {
    log.warn(
      'AUTH_JWT_SECRET is the public development secret: anyone can mint tokens; set your own ' +
        '(with NODE_ENV=production the gateway and the services refuse to start with it)',
    );
  }
  const server = await startGateway({
    supergraphSdl,
    subgraphUrls: config.subgraphUrls,
    port: config.PORT,
    host: config.HOST,
    log,
    authenticate: createVerifier(config),
    limits: limitSettings(config),
    callerSecret: config.SUBGRAPH_CALLER_SECRET,
  });
  const lifecycle = new Lifecycle(log);
  lifecycle.onStop('http', () => server.stop());
  lifecycle.handleSignals();
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) return fail(error.message, 2);
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return fail('the port is in use; stop what listens there or set PORT', 2);
  }
  return fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1);
});
