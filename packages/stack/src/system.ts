import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedMongo, type MongoServer } from './mongo-server';
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
  /** NATS file store and logs live here. */
  readonly dataDir: string;
  /** External servers; when unset, embedded ones are started. */
  readonly natsUrl?: string;
  readonly mongoUri?: string;
  readonly natsPort?: number;
  readonly mongoPort?: number;
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
  readonly mongoUri: string;
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
    let mongo: MongoServer | undefined;
    if (!options.mongoUri) {
      mongo = await startEmbeddedMongo({
        output: outputFor('mongodb'),
        ...(options.mongoPort === undefined ? {} : { port: options.mongoPort }),
      });
      started.push(mongo);
    }
    const natsUrl = options.natsUrl ?? nats!.url;
    const mongoUri = options.mongoUri ?? mongo!.uri;

    const services: Record<string, RunningService> = {};
    const launch = async (definition: ServiceDefinition, env: NodeJS.ProcessEnv) => {
      const port = options.ports?.[definition.name] ?? (await freePort());
      const child = new ManagedProcess({
        name: definition.name,
        command: process.execPath,
        args: ['--enable-source-maps', entryPath(definition)],
        env: {
          NATS_URL: natsUrl,
          MONGODB_URI: mongoUri,
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
      await restart();
      started.push(child);
      services[definition.name] = {
        definition,
        url: `${baseUrl}/graphql`,
        process: child,
        restart,
      };
    };

    for (const subgraph of subgraphs) await launch(subgraph, {});
    const subgraphUrls = Object.fromEntries(
      subgraphs.map((s) => [subgraphUrlVariable(s.name), services[s.name]!.url]),
    );
    await launch(gateway, subgraphUrls);

    return { gatewayUrl: services.gateway!.url, natsUrl, mongoUri, nats, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
