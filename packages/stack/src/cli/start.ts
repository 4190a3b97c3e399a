import '@orderflow/auth/dist/node-version';
import { join } from 'node:path';
import { buildWorkspaces } from '../build-progress';
import { seedDemoCatalog } from '../demo-catalog';
import { displayPath } from '../discover-system';
import { dataDirOf, endpointsFile, endpointsOf, markStopped, writeEndpoints } from '../endpoints';
import { LaunchProgress } from '../launch-progress';
import { MissingBinary } from '../nats-server';
import { freePort } from '../ports';
import { gateway, subgraphs } from '../services';
import { startSystem, type System } from '../system';
import { developmentToken } from '../tokens';
import { portAccepts } from '../wait';

/** The banner's tokens last a working day; `npm run token` mints more. */
const BANNER_TOKEN_SECONDS = 24 * 3600;

/** The port asked for when it is free, else any free port (the machine may run its own NATS). */
const portOr = async (wanted: number) => ((await portAccepts(wanted)) ? freePort() : wanted);

/**
 * Seeds the catalog with an admin token and hands out tokens to try the API with, signed with the
 * secret the services inherit from this environment, so they accept them.
 */
const withDevelopmentTokens = async (system: System, progress: LaunchProgress) => {
  const adminToken = developmentToken('admin', { admin: true, expiresIn: BANNER_TOKEN_SECONDS });
  const customerToken = developmentToken('alice', { expiresIn: BANNER_TOKEN_SECONDS });
  const seeded = await progress.step(
    'seeding the demo catalog',
    () => seedDemoCatalog(system.gatewayUrl, adminToken),
    (count) =>
      count > 0 ? `demo catalog: ${count} products stocked` : 'demo catalog already stocked',
  );
  return [
    `  demo catalog        ${seeded > 0 ? `${seeded} products stocked` : 'already stocked'}`,
    '',
    'Send "authorization: Bearer <token>" with every request (valid 24 h;',
    '`npm run token -- --sub <customer id> [--admin]` mints more):',
    `  customer token (alice)  ${customerToken}`,
    `  admin token             ${adminToken}`,
  ];
};

/**
 * Each process is its own bus user. The operator commands find their user's password through the
 * endpoints record; other tools need to be told.
 */
const natsUsersNote = (dataDir: string) => {
  const passwords = displayPath(join(dataDir, 'nats', 'passwords'));
  return [
    `  NATS users          one per service, auditor, operator, admin; passwords in ${passwords}/`,
  ];
};

/** The services accept only the identity provider's tokens, which the launcher cannot mint. */
const identityProviderNote = [
  '  demo catalog        not seeded: AUTH_JWKS_URL is set, so tokens come from your identity',
  '                      provider; seed it with upsertProduct and restock as an admin',
];

/** `--build`: npm start builds every workspace first, here, to show how far it got. */
const build = async (progress: LaunchProgress) => {
  progress.building();
  await buildWorkspaces(progress);
  progress.buildDone();
};

const main = async () => {
  const env = process.env;
  const dataDir = dataDirOf(env);
  const progress = new LaunchProgress((line) => console.log(line));
  if (process.argv.includes('--build')) await build(progress);
  const gatewayPort = Number(env.GATEWAY_PORT ?? gateway.defaultPort);
  if (await portAccepts(gatewayPort)) {
    throw new Error(
      `port ${gatewayPort} is in use; stop what listens there or set GATEWAY_PORT to another port`,
    );
  }
  const system: System = await startSystem({
    dataDir,
    ...(env.NATS_URL ? { natsUrl: env.NATS_URL } : { natsPort: await portOr(4222) }),
    ...(env.MONGODB_URI ? { readModels: { mongoUri: env.MONGODB_URI } } : {}),
    ports: {
      gateway: gatewayPort,
      ...Object.fromEntries(
        await Promise.all(
          subgraphs.map(
            async ({ name, defaultPort }) => [name, await portOr(defaultPort)] as const,
          ),
        ),
      ),
    },
    output: env.ORDERFLOW_LOGS === 'inherit' ? 'inherit' : 'files',
    env: { LOG_LEVEL: env.LOG_LEVEL ?? 'info' },
    onProgress: (step) => progress.system(step),
  });
  // What the operator commands (audit, story, watch, deadletters) connect to unless told.
  writeEndpoints(dataDir, endpointsOf(system));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\norderflow: ${signal}, stopping every process…`);
    system.stop().then(
      () => {
        markStopped(dataDir);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const lines = [
    '',
    'orderflow is running',
    `  GraphQL (gateway)   ${system.gatewayUrl.replace('127.0.0.1', 'localhost')}`,
    ...subgraphs.map(({ name }) => `  subgraph ${name.padEnd(10)} ${system.services[name]!.url}`),
    `  NATS JetStream      ${system.natsUrl}${system.natsNodes.length > 0 ? ' (embedded)' : ''}`,
    ...(system.natsNodes.length > 0 ? natsUsersNote(dataDir) : []),
    system.mongoUri === undefined
      ? `  read models         SQLite, one file per service in ${system.readModelDir}`
      : '  read models         MongoDB at MONGODB_URI, one database per service',
    `  data and logs       ${dataDir}`,
    `  endpoints           ${displayPath(endpointsFile(dataDir))}: npm run audit, story, watch`,
    '                      and deadletters connect to this system through it',
    ...(env.AUTH_JWKS_URL ? identityProviderNote : await withDevelopmentTokens(system, progress)),
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
};

main().catch((error: unknown) => {
  console.error(`orderflow: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof MissingBinary ? 127 : 1);
});
