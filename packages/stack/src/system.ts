import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedMongo } from './mongo-server';
import { startNatsServer, type NatsServer } from './nats-server';
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
}

export interface RunningService {
  readonly definition: ServiceDefinition;
  readonly url: string;
  readonly process: ManagedProcess;
  /** Starts it again (after stop or kill) and waits until it is ready. */
  restart(): Promise<void>;
}

export interface System {
  readonly gatewayUrl: string;
  readonly natsUrl: string;
  /** The MongoDB the services use, when they do not use the embedded store. */
  readonly mongoUri: string | undefined;
  /** Where the embedded store keeps one SQLite file per service. */
  readonly readModelDir: string;
  readonly nats: NatsServer | undefined;
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
  const stop = async () => {
    for (const part of started.reverse()) await part.stop();
  };

  try {
    let nats: NatsServer | undefined;
    if (!options.natsUrl) {
      nats = await startNatsServer({
        storeDir: join(options.dataDir, 'nats'),
        output: outputFor('nats-server'),
        ...(options.natsPort === undefined ? {} : { port: options.natsPort }),
      });
      started.push(nats);
    }
    let mongoUri: string | undefined;
    if (options.readModels === 'embedded-mongo') {
      const mongo = await startEmbeddedMongo({ output: outputFor('mongodb') });
      started.push(mongo);
      mongoUri = mongo.uri;
    } else {
      mongoUri = options.readModels?.mongoUri;
    }
    const natsUrl = options.natsUrl ?? nats!.url;
    const readModelDir = join(options.dataDir, 'read-models');

    const services: Record<string, RunningService> = {};
    const launch = async (definition: ServiceDefinition, env: NodeJS.ProcessEnv) => {
      const port = options.ports?.[definition.name] ?? (await freePort());
      const child = new ManagedProcess({
        name: definition.name,
        command: process.execPath,
        args: ['--enable-source-maps', entryPath(definition)],
        env: {
          NATS_URL: natsUrl,
          DATA_DIR: readModelDir,
          ...(mongoUri === undefined ? {} : { MONGODB_URI: mongoUri }),
          ...options.env,
          ...env,
          PORT: String(port),
        },
        output: outputFor(definition.name),
      });
      const baseUrl = `http://127.0.0.1:${port}`;
      const restart = async () => {
        child.start();
        await waitFor(`${definition.name} to be ready`, () => isReady(baseUrl), {
          timeoutMs: 30_000,
        });
      };
      // Stopped with the rest even when it never gets ready.
      started.push(child);
      await restart();
      services[definition.name] = {
        definition,
        url: `${baseUrl}/graphql`,
        process: child,
        restart,
      };
    };

    // Together: each creates its own stream and waits for the streams of the others it reads.
    await Promise.all(subgraphs.map((subgraph) => launch(subgraph, {})));
    const subgraphUrls = Object.fromEntries(
      subgraphs.map((s) => [subgraphUrlVariable(s.name), services[s.name]!.url]),
    );
    await launch(gateway, subgraphUrls);

    return {
      gatewayUrl: services.gateway!.url,
      natsUrl,
      mongoUri,
      readModelDir,
      nats,
      services,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
