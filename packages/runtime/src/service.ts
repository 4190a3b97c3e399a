import { authConfig, createVerifier, ownSecretInProduction } from '@orderflow/auth';
import { deadLetterStream, type Envelope, type StreamDefinition } from '@orderflow/contracts';
import { z } from 'zod';
import {
  baseConfig,
  callerSecretSetting,
  ConfigError,
  loadConfig,
  natsCredentialsPaired,
  natsUserInProduction,
  port,
  storeConfig,
} from './config';
import { callerSecretInProduction } from './gateway-credential';
import { DEFAULT_CONCURRENCY, retryDefaults, runConsumer, type ConsumerSpec } from './consumer';
import type { DocumentStore } from './documents/document-store';
import { openDocumentStore } from './documents/open-store';
import type { EventStore } from './event-store';
import type { GraphQLHttpServer, Readiness } from './http-server';
import { JetStreamEventStore } from './jetstream-event-store';
import { createLogger, type Logger } from './log';
import { awaitStream, connectNats, ensureStream, type Nats } from './nats';
import { Alarms, runPoller, type PollerSpec } from './poller';
import type { Progress } from './progress';
import { runProjection, type ProjectionSpec } from './projection';
import { Lifecycle } from './shutdown';
import { startTracing } from './tracing';
import { startSubgraph, type RequestContext, type SubgraphOptions } from './subgraph';

/** What every subgraph service reads from its environment, AUTH_* included. */
export const serviceConfig = (defaultPort: number) =>
  baseConfig
    .extend(storeConfig.shape)
    .extend(authConfig.shape)
    .extend({
      HOST: z.string().min(1).default('127.0.0.1'),
      PORT: port(defaultPort),
      /** Tests only: handle every message twice, to prove the reactions idempotent. */
      FAULT_DUPLICATE_DELIVERY: z.stringbool().default(false),
      /**
       * How long a consumer's delivery may go unacknowledged before JetStream hands it out again:
       * what a message taken by a process that died waits before another replica gets it.
       */
      CONSUMER_ACK_WAIT_MS: z.coerce.number().int().min(1_000).default(retryDefaults.ackWaitMs),
      /** Aggregates each consumer handles at once (one aggregate's events stay in order). */
      CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(DEFAULT_CONCURRENCY),
      /** 3 on a JetStream cluster, so a stream survives the loss of a node. */
      STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
      /** Only a caller that shows it (the gateway) is answered; see gateway-credential.ts. */
      SUBGRAPH_CALLER_SECRET: callerSecretSetting,
    })
    .superRefine(ownSecretInProduction)
    .superRefine(callerSecretInProduction)
    .superRefine(natsCredentialsPaired)
    .superRefine(natsUserInProduction);

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfig>>;

/** The connections a service's wiring builds on. */
export interface Infrastructure {
  readonly nats: Nats;
  /** The service's own database, where its read models and their checkpoints live. */
  readonly documents: DocumentStore;
  readonly log: Logger;
  /** The environment, for a service's own settings (read them with loadConfig in wire()). */
  readonly env: Readonly<Record<string, unknown>>;
  /** The event store on one of the streams the service declared. */
  store(stream: StreamDefinition): EventStore;
  /**
   * Tells `listener` of each batch of events one of the service's projections has stored, right
   * after the commit: to react to a read model changing rather than poll it.
   */
  readonly onStored: (projection: string, listener: (events: readonly Envelope[]) => void) => void;
}

/** What a service runs: its read models, its reactions and its part of the graph. */
export interface Wiring<Ctx extends RequestContext> {
  readonly projections: readonly ProjectionSpec[];
  readonly consumers: readonly ConsumerSpec[];
  /** Work that falls due with time (deadlines, simulated deliveries); none when omitted. */
  readonly pollers?: readonly PollerSpec[];
  readonly graph: Pick<SubgraphOptions<Ctx>, 'typeDefs' | 'resolvers' | 'context'>;
}

export interface ServiceDefinition<Ctx extends RequestContext> {
  readonly name: string;
  /** Its database's name on MongoDB; the embedded store names its file after the service. */
  readonly database: string;
  /**
   * The stream of its own bounded context, which it creates. Streams it only reads belong to
   * other services: its projections and consumers wait for them to exist.
   */
  readonly stream: StreamDefinition;
  /** Further streams it creates: ones outside producers append to and it reads (CLICKSTREAM). */
  readonly alsoCreates?: readonly StreamDefinition[];
  wire(infrastructure: Infrastructure): Wiring<Ctx>;
}

export interface RunningService {
  readonly url: string;
  readonly infrastructure: Infrastructure;
  stop(): Promise<void>;
}

/**
 * Connects, creates streams, starts projections and consumers, then serves the subgraph. The
 * lifecycle closes them in reverse: HTTP first, then the reactions, then the connections.
 */
export const startService = async <Ctx extends RequestContext>(
  definition: ServiceDefinition<Ctx>,
  config: ServiceConfig,
  log: Logger,
  env: Readonly<Record<string, unknown>> = process.env,
): Promise<RunningService> => {
  const lifecycle = new Lifecycle(log);
  try {
    const nats = await connectNats(config, definition.name);
    lifecycle.onStop('nats', () => nats.connection.drain());
    const documents = await openDocumentStore(config, definition);
    lifecycle.onStop('read models', () => documents.close());
    log.info('read models', { store: documents.description });
    for (const stream of [definition.stream, ...(definition.alsoCreates ?? []), deadLetterStream]) {
      await ensureStream(nats.jsm, stream, { replicas: config.STREAM_REPLICAS });
    }
    const stores = new Map<string, EventStore>();
    const listeners = new Map<string, ((events: readonly Envelope[]) => void)[]>();
    const onStored = (projection: string, listener: (events: readonly Envelope[]) => void) => {
      listeners.set(projection, [...(listeners.get(projection) ?? []), listener]);
    };
    const infrastructure: Infrastructure = {
      nats,
      documents,
      log,
      env,
      store: (stream) => {
        const store = stores.get(stream.name) ?? new JetStreamEventStore(nats, stream.name, log);
        stores.set(stream.name, store);
        return store;
      },
      onStored,
    };
    const wiring = definition.wire(infrastructure);
    const readers: { progress(): Progress }[] = [];
    const pollers = (wiring.pollers ?? []).map((spec) => ({ spec, alarms: new Alarms() }));
    for (const { spec, alarms } of pollers) {
      if (spec.wakeOn === undefined) continue;
      const { projection, dueAt } = spec.wakeOn;
      onStored(projection, (events) => {
        for (const event of events) {
          const at = dueAt(event);
          if (at !== undefined) alarms.set(at);
        }
      });
    }
    for (const name of listeners.keys()) {
      if (!wiring.projections.some((projection) => projection.name === name)) {
        throw new Error(`${definition.name} listens to projection ${name}, which it does not run`);
      }
    }
    for (const spec of wiring.projections) {
      await awaitStream(nats.jsm, spec.stream, log);
      const told = listeners.get(spec.name) ?? [];
      const projection = await runProjection(nats, documents, spec, log, {
        rebuild: config.READ_MODELS_REBUILD,
        ...(told.length > 0
          ? { onStored: (events) => told.forEach((listener) => listener(events)) }
          : {}),
      });
      lifecycle.onStop(`projection ${spec.name}`, () => projection.stop());
      readers.push(projection);
      failLoudly(projection.finished, log, `projection ${spec.name}`);
    }
    for (const spec of wiring.consumers) {
      await awaitStream(nats.jsm, spec.stream, log);
      const consumer = await runConsumer(
        nats,
        {
          ...spec,
          ackWaitMs: spec.ackWaitMs ?? config.CONSUMER_ACK_WAIT_MS,
          concurrency: spec.concurrency ?? config.CONSUMER_CONCURRENCY,
          duplicateDeliveries: config.FAULT_DUPLICATE_DELIVERY,
        },
        log,
      );
      lifecycle.onStop(`consumer ${spec.durable}`, () => consumer.stop());
      readers.push(consumer);
      failLoudly(consumer.finished, log, `consumer ${spec.durable}`);
    }
    for (const { spec, alarms } of pollers) {
      const poller = runPoller(spec, log, alarms);
      lifecycle.onStop(`poller ${spec.name}`, () => poller.stop());
      failLoudly(poller.finished, log, `poller ${spec.name}`);
    }
    const server: GraphQLHttpServer = await startSubgraph<Ctx>({
      name: definition.name,
      ...wiring.graph,
      port: config.PORT,
      host: config.HOST,
      log,
      verify: createVerifier(config),
      callerSecret: config.SUBGRAPH_CALLER_SECRET,
      ready: () => readiness(nats, documents, readers),
    });
    lifecycle.onStop('http', () => server.stop());
    return { url: server.url, infrastructure, stop: () => lifecycle.stop() };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
};

/**
 * Ready while NATS is connected, the read-model store answers, and no projection or consumer is
 * stuck or failing; each reader's position and backlog are shown either way.
 */
const readiness = async (
  nats: Nats,
  documents: DocumentStore,
  readers: readonly { progress(): Progress }[],
): Promise<Readiness> => {
  const problems: string[] = [];
  if (nats.connection.isClosed()) problems.push('the NATS connection is closed');
  await documents.ping().catch((error: unknown) => {
    problems.push(`the read-model store does not answer: ${String(error)}`);
  });
  const parts = readers.map((reader) => reader.progress());
  for (const { name, position, behind, stalled, error } of parts) {
    if (stalled) problems.push(`${name} is stalled at ${position} with ${behind} events waiting`);
    if (error !== undefined) problems.push(`${name} failed: ${error}`);
  }
  return { problems, parts: { readers: parts } };
};

/** A reaction that dies leaves the service half alive; better to exit and be restarted. */
const failLoudly = (finished: Promise<void>, log: Logger, what: string) => {
  finished.catch((error: unknown) => {
    log.error(`${what} failed; exiting so the service is restarted`, { error });
    process.exit(1);
  });
};

/** The body of every service's main.ts: configuration, start, signals, clear failures. */
export const runService = <Ctx extends RequestContext>(
  definition: ServiceDefinition<Ctx>,
  defaultPort: number,
): void => {
  let log = createLogger({ service: definition.name });
  const main = async () => {
    const config = loadConfig(serviceConfig(defaultPort));
    log = createLogger({ service: definition.name }, config.LOG_LEVEL, config.LOG_FORMAT);
    const lifecycle = new Lifecycle(log);
    // Registered first, so it stops last: the spans of the shutdown itself are flushed too.
    lifecycle.onStop('tracing', startTracing(definition.name));
    const service = await startService(definition, config, log);
    lifecycle.onStop(definition.name, () => service.stop());
    lifecycle.handleSignals();
  };
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(2);
    }
    log.error('failed to start', { error });
    process.exit(1);
  });
};

/** Where a service under test finds NATS and keeps its read models. */
export interface TestServers {
  readonly natsUrl: string;
  /** The embedded store's directory; a restarted service finds its read models there again. */
  readonly dataDir: string;
  /** MongoDB instead of the embedded store. */
  readonly mongoUri?: string;
}

/**
 * Starts a service in-process against the given servers, on a free port, logging nothing: how
 * int tests run a whole service. Settings not given in `env` take their defaults.
 */
export const startServiceAgainst = <Ctx extends RequestContext>(
  definition: ServiceDefinition<Ctx>,
  servers: TestServers,
  env: Readonly<Record<string, string>> = {},
): Promise<RunningService> => {
  const settings = {
    ...env,
    NATS_URL: servers.natsUrl,
    DATA_DIR: servers.dataDir,
    ...(servers.mongoUri === undefined ? {} : { MONGODB_URI: servers.mongoUri }),
    PORT: '0',
  };
  return startService(
    definition,
    serviceConfig(0).parse(settings),
    createLogger({}, 'error', () => undefined),
    settings,
  );
};
