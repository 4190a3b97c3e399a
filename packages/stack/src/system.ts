import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { natsPasswordFile } from './endpoints';
import { startEmbeddedMongo } from './mongo-server';
import { startNatsCluster } from './nats-cluster';
import { ADMIN_USER, natsUsers } from './nats-permissions';
import {
  accessAs,
  startNatsServer,
  type NatsAccess,
  type NatsPasswords,
  type NatsServer,
} from './nats-server';
import { freePort } from './ports';
import { ManagedProcess, type ChildSpec } from './process';
import {
  entryPath,
  gateway,
  subgraphs,
  subgraphUrlVariable,
  type ServiceDefinition,
} from './services';
import { waitFor } from './wait';

export interface SystemOptions {
  /** NATS file store, the embedded read-model store and logs live here. */
  readonly dataDir: string;
  /** An external NATS; when unset, an embedded nats-server is started. */
  readonly natsUrl?: string;
  readonly natsPort?: number;
  /** Three embedded nats-servers in one JetStream cluster instead of one; streams get 3 replicas. */
  readonly natsCluster?: boolean;
  /**
   * More than one process of a subgraph: the first serves the gateway, every one consumes, and
   * they share their durable consumers and read models, as replicas of a service do.
   */
  readonly replicas?: Readonly<Record<string, number>>;
  /**
   * Where read models live: the embedded SQLite store under dataDir by default; an external
   * MongoDB; or the embedded MongoDB-wire test server, to run the MongoDB adapter end to end.
   */
  readonly readModels?: { readonly mongoUri: string } | 'embedded-mongo';
  /** Fixed ports per service name; a service not named here gets a free port. */
  readonly ports?: Readonly<Record<string, number>>;
  /** Extra environment for every service (deadlines, simulator settings, log level). */
  readonly env?: NodeJS.ProcessEnv;
  /** 'files': one log file per process under dataDir/logs. */
  readonly output: 'inherit' | 'files' | 'ignore';
  /** Told as each process starts and becomes ready, for a launcher that shows its progress. */
  readonly onProgress?: (step: StartStep) => void;
}

/** One process of a system starting, or ready after `ms` (its URL, when it has one). */
export type StartStep =
  | { readonly phase: 'starting'; readonly part: string }
  | { readonly phase: 'ready'; readonly part: string; readonly ms: number; readonly url?: string };

export interface RunningService {
  readonly definition: ServiceDefinition;
  readonly url: string;
  readonly process: ManagedProcess;
  /** Starts it again (after stop or kill) and waits until it is ready. */
  restart(): Promise<void>;
}

export interface System {
  /** Where its NATS store, read models, logs and passwords are (SystemOptions.dataDir). */
  readonly dataDir: string;
  readonly gatewayUrl: string;
  readonly natsUrl: string;
  /** The MongoDB the services use, when they do not use the embedded store. */
  readonly mongoUri: string | undefined;
  /** Where the embedded store keeps one SQLite file per service. */
  readonly readModelDir: string;
  /** What the gateway shows the subgraphs (SUBGRAPH_CALLER_SECRET), for tests that play it. */
  readonly callerSecret: string;
  /** The embedded nats-server, or each node of the embedded cluster. */
  readonly natsNodes: readonly NatsServer[];
  /**
   * How a user of the bus (by default `admin`) connects to the embedded NATS, whose users have
   * a fresh password each start; an external NATS is reached as the environment says.
   */
  natsAccess(user?: string): NatsAccess;
  /** By name; a subgraph's further replicas are `<name>#2`, `<name>#3`, ... */
  readonly services: Readonly<Record<string, RunningService>>;
  stop(): Promise<void>;
}

const isReady = async (baseUrl: string) => {
  const response = await fetch(`${baseUrl}/health/ready`);
  return response.status === 200;
};

export const startSystem = async (options: SystemOptions): Promise<System> => {
  mkdirSync(join(options.dataDir, 'logs'), { recursive: true });
  const outputFor = (name: string): ChildSpec['output'] =>
    options.output === 'files'
      ? { file: join(options.dataDir, 'logs', `${name}.log`) }
      : options.output;

  const started: { stop(): Promise<void> }[] = [];
  /** Runs `start`, telling onProgress when it begins and when `part` is ready. */
  const step = async <T>(part: string, start: () => Promise<T>, urlOf?: (it: T) => string) => {
    const began = Date.now();
    options.onProgress?.({ phase: 'starting', part });
    const it = await start();
    options.onProgress?.({
      phase: 'ready',
      part,
      ms: Date.now() - began,
      ...(urlOf ? { url: urlOf(it) } : {}),
    });
    return it;
  };
  const stop = async () => {
    for (const part of started.reverse()) await part.stop();
  };

  try {
    let natsNodes: readonly NatsServer[] = [];
    let natsUrl = options.natsUrl;
    const passwords = natsUrl === undefined ? drawPasswords(options.dataDir) : undefined;
    if (natsUrl === undefined && options.natsCluster) {
      const cluster = await step(
        'nats cluster',
        () =>
          startNatsCluster({
            storeDir: join(options.dataDir, 'nats'),
            output: outputFor,
            ...(passwords ? { passwords } : {}),
          }),
        ({ url }) => url,
      );
      started.push(cluster);
      natsNodes = cluster.nodes;
      natsUrl = cluster.url;
    } else if (natsUrl === undefined) {
      const nats = await step(
        'nats-server',
        () =>
          startNatsServer({
            storeDir: join(options.dataDir, 'nats'),
            output: outputFor('nats-server'),
            ...(options.natsPort === undefined ? {} : { port: options.natsPort }),
            ...(passwords ? { passwords } : {}),
          }),
        ({ url }) => url,
      );
      started.push(nats);
      natsNodes = [nats];
      natsUrl = nats.url;
    }
    const busUrl = natsUrl;
    let mongoUri: string | undefined;
    if (options.readModels === 'embedded-mongo') {
      const mongo = await step('mongodb', () =>
        startEmbeddedMongo({ output: outputFor('mongodb') }),
      );
      started.push(mongo);
      mongoUri = mongo.uri;
    } else {
      mongoUri = options.readModels?.mongoUri;
    }
    const readModelDir = join(options.dataDir, 'read-models');
    // A fresh secret per system: its subgraphs answer only its gateway, not whoever reaches them.
    const callerSecret = randomBytes(32).toString('hex');

    const services: Record<string, RunningService> = {};
    const launch = async (
      definition: ServiceDefinition,
      env: NodeJS.ProcessEnv,
      name = definition.name,
    ) => {
      const port = options.ports?.[name] ?? (await freePort());
      const child = new ManagedProcess({
        name,
        command: process.execPath,
        args: ['--enable-source-maps', entryPath(definition)],
        env: {
          ...(passwords?.[definition.name] === undefined
            ? { NATS_URL: busUrl }
            : accessAs(busUrl, passwords, definition.name)),
          DATA_DIR: readModelDir,
          ...(mongoUri === undefined ? {} : { MONGODB_URI: mongoUri }),
          ...(options.natsCluster ? { STREAM_REPLICAS: '3' } : {}),
          SUBGRAPH_CALLER_SECRET: callerSecret,
          ...options.env,
          ...env,
          // Log files are read by tools and tests as JSON lines; LOG_FORMAT=pretty is for a terminal.
          ...(options.output === 'files' ? { LOG_FORMAT: 'json' } : {}),
          PORT: String(port),
        },
        output: outputFor(name),
      });
      const baseUrl = `http://127.0.0.1:${port}`;
      const restart = async () => {
        child.start();
        await waitFor(`${name} to be ready`, () => isReady(baseUrl), {
          timeoutMs: 30_000,
        });
      };
      // Stopped with the rest even when it never gets ready.
      started.push(child);
      await step(name, restart, () => baseUrl);
      services[name] = {
        definition,
        url: `${baseUrl}/graphql`,
        process: child,
        restart,
      };
    };

    // Together: each creates its own stream and waits for the streams of the others it reads.
    await Promise.all(
      subgraphs.flatMap((subgraph) =>
        Array.from({ length: options.replicas?.[subgraph.name] ?? 1 }, (_, replica) =>
          launch(subgraph, {}, replica === 0 ? subgraph.name : `${subgraph.name}#${replica + 1}`),
        ),
      ),
    );
    const subgraphUrls = Object.fromEntries(
      subgraphs.map((s) => [subgraphUrlVariable(s.name), services[s.name]!.url]),
    );
    await launch(gateway, subgraphUrls);

    return {
      dataDir: options.dataDir,
      gatewayUrl: services.gateway!.url,
      natsUrl,
      mongoUri,
      readModelDir,
      callerSecret,
      natsNodes,
      natsAccess: (user) => accessAs(busUrl, passwords, user),
      services,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

/**
 * A fresh password for every user of the embedded bus, each also written to
 * `<dataDir>/nats/passwords/<user>` (readable by this account only) for the command-line tools:
 * `NATS_USER=operator NATS_PASSWORD_FILE=.data/nats/passwords/operator npm run deadletters`.
 */
const drawPasswords = (dataDir: string): NatsPasswords => {
  mkdirSync(dirname(natsPasswordFile(dataDir, ADMIN_USER)), { recursive: true, mode: 0o700 });
  return Object.fromEntries(
    natsUsers().map(({ user }) => {
      const password = randomBytes(24).toString('hex');
      writeFileSync(natsPasswordFile(dataDir, user), `${password}\n`, { mode: 0o600 });
      return [user, password];
    }),
  );
};
