import { startTestInfra, type TestInfra } from '@orderflow/stack';
import { connectMongo, connectNats, createLogger, type Mongo, type Nats } from '../src';

export const silentLog = createLogger({}, 'error', () => undefined);

/** The stack's test servers, with connections to them. */
export interface Infra {
  readonly servers: TestInfra;
  readonly nats: Nats;
  readonly mongo?: Mongo;
  stop(): Promise<void>;
}

export const startInfra = async ({ mongo = false } = {}): Promise<Infra> => {
  const servers = await startTestInfra({ mongo });
  const nats = await connectNats(servers.nats.url, 'test');
  const mongoClient = servers.mongo ? await connectMongo(servers.mongo.uri, 'test') : undefined;
  return {
    servers,
    nats,
    ...(mongoClient ? { mongo: mongoClient } : {}),
    stop: async () => {
      await nats.connection.close();
      await mongoClient?.client.close();
      await servers.stop();
    },
  };
};
