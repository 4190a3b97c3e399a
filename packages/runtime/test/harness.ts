import { startEmbeddedMongo, startNatsServer, type MongoServer, type NatsServer } from '@orderflow/stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMongo, connectNats, createLogger, type Mongo, type Nats } from '../src';

export const silentLog = createLogger({}, 'error', () => undefined);

/** A real nats-server (and, on request, a MongoDB-wire server) on free ports, per test file. */
export interface Infra {
  readonly server: NatsServer;
  readonly nats: Nats;
  readonly mongoServer?: MongoServer;
  readonly mongo?: Mongo;
  stop(): Promise<void>;
}

export const startInfra = async ({ mongo = false } = {}): Promise<Infra> => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-test-'));
  const server = await startNatsServer({ storeDir: join(dir, 'nats') });
  const nats = await connectNats(server.url, 'test');
  const mongoServer = mongo ? await startEmbeddedMongo() : undefined;
  const mongoClient = mongoServer ? await connectMongo(mongoServer.uri, 'test') : undefined;
  return {
    server,
    nats,
    ...(mongoServer ? { mongoServer } : {}),
    ...(mongoClient ? { mongo: mongoClient } : {}),
    stop: async () => {
      await nats.connection.close();
      await mongoClient?.client.close();
      await mongoServer?.stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
