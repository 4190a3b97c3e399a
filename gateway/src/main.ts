import '@orderflow/auth/dist/node-version';
import { createVerifier, developmentSecret } from '@orderflow/auth';
import {
  ConfigError,
  createLogger,
  Lifecycle,
  startTracing,
  type Logger,
} from '@orderflow/runtime';
import { readFileSync } from 'node:fs';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway';
import { limitSettings } from './limits';

const fail = (message: string, code: number) => {
  process.stderr.write(`gateway: ${message}\n`);
  process.exit(code);
};

/** Set once the configuration is read: a later failure to start is a log record with its stack. */
let startLog: Logger | undefined;

const main = async () => {
  const config = loadGatewayConfig();
  const log = createLogger({ service: 'gateway' }, config.LOG_LEVEL, config.LOG_FORMAT);
  startLog = log;
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
    return fail(
      `cannot read the supergraph at ${config.SUPERGRAPH_PATH}${reason}; run \`npm run compose\` or set SUPERGRAPH_PATH`,
      2,
    );
  }
  if (!config.AUTH_JWKS_URL && config.AUTH_JWT_SECRET === developmentSecret) {
    log.warn(
      'AUTH_JWT_SECRET is the public development secret: anyone can mint tokens; set your own ' +
        '(with NODE_ENV=production the gateway and the services refuse to start with it)',
    );
  }
  const lifecycle = new Lifecycle(log);
  lifecycle.onStop('tracing', startTracing('gateway'));
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
  lifecycle.onStop('http', () => server.stop());
  lifecycle.handleSignals();
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) return fail(error.message, 2);
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return fail('the port is in use; stop what listens there or set PORT', 2);
  }
  if (startLog === undefined) {
    return fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1);
  }
  startLog.error('failed to start', { error });
  process.exit(1);
});
