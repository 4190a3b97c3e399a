import { startTestInfra, type TestInfra } from '@orderflow/stack';
import { connectNats, createLogger, type Nats } from '../src';

export const silentLog = createLogger({}, 'error', () => undefined);

/** The stack's test nats-server, with a connection to it. */
export interface Infra {
  readonly servers: TestInfra;
  readonly nats: Nats;
  stop(): Promise<void>;
}

export const startInfra = async (): Promise<Infra> => {
  const servers = await startTestInfra();
  const nats = await connectNats(servers.nats.url, 'test');
  return {
    servers,
    nats,
    stop: async () => {
      await nats.connection.close();
      await servers.stop();
    },
  };
};
