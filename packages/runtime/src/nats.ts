import {
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { inboxPrefixOf, type StreamDefinition } from '@orderflow/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './log';
import { settleAnsweredRequestsOnce } from './answered-requests';
import { coalesceSocketWritesOnce } from './coalesced-writes';

export interface Nats {
  readonly connection: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

/** Where the bus is and who connects to it: a process's NATS_* settings. */
export interface NatsSettings {
  readonly NATS_URL: string;
  readonly NATS_USER?: string | undefined;
  readonly NATS_PASSWORD?: string | undefined;
}

export const connectNats = async (settings: NatsSettings, name: string): Promise<Nats> => {
  const user = settings.NATS_USER;
  settleAnsweredRequestsOnce();
  coalesceSocketWritesOnce();
  const connection = await connect({
    servers: settings.NATS_URL.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Otherwise every request and publish builds two errors up front in case it fails: 13% of
    // inventory's CPU under load. A timeout is still a TimeoutError; its stack is shorter.
    noAsyncTraces: true,
    ...(user === undefined
      ? {}
      : { user, pass: settings.NATS_PASSWORD ?? '', inboxPrefix: inboxPrefixOf(user) }),
  });
  return { connection, js: jetstream(connection), jsm: await jetstreamManager(connection) };
};

export interface StreamOptions {
  /** 1 for a single server; 3 on a cluster (the compose deployment). */
  replicas?: number;
  /** How long JetStream remembers a `Nats-Msg-Id` to drop a duplicate publish. */
  duplicateWindowMs?: number;
}

/**
 * Creates the stream or brings its settings up to date. Event streams keep everything forever:
 * they are the source of truth, and every read model is rebuilt from them.
 */
export const ensureStream = async (
  jsm: JetStreamManager,
  stream: StreamDefinition,
  { replicas = 1, duplicateWindowMs = 120_000 }: StreamOptions = {},
): Promise<void> => {
  const config = {
    name: stream.name,
    subjects: [...stream.subjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: replicas,
    duplicate_window: duplicateWindowMs * 1_000_000,
    allow_direct: true,
  };
  try {
    await jsm.streams.add(config);
  } catch (error) {
    // An existing stream with other settings is updated in place; anything else is a real failure.
    if (!(error instanceof JetStreamApiError) || error.code !== 10058) throw error;
    await jsm.streams.update(stream.name, config);
  }
};

/**
 * Waits until another service's stream exists: each service creates only its own stream, so a
 * service that reads a stream it does not own may start before that stream's owner.
 */
export const awaitStream = async (
  jsm: JetStreamManager,
  stream: string,
  log: Logger,
  intervalMs = 250,
): Promise<void> => {
  for (let attempt = 0; ; attempt++) {
    try {
      await jsm.streams.info(stream);
      return;
    } catch (error) {
      const missing =
        error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
      if (!missing) throw error;
      if (attempt === 0) log.info('waiting for a stream its own service creates', { stream });
      await sleep(intervalMs);
    }
  }
};

/**
 * Calls `renew` each time the connection comes back after losing its server: feeds that a
 * restarted server forgot are renewed at once instead of after a stall. Returns the way to stop.
 */
export const onReconnect = (nats: Nats, renew: () => void): (() => void) => {
  const statuses = nats.connection.status()[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await statuses.next(); !next.done; next = await statuses.next()) {
      if (next.value.type === 'reconnect') renew();
    }
  })();
  return () => void statuses.return?.();
};
