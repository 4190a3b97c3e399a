import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedMongo, type MongoServer } from './mongo-server';
import { startNatsServer, type NatsServer } from './nats-server';

/** Real servers for one test file: nats-server and, on request, a MongoDB-wire server. */
export interface TestInfra {
  readonly nats: NatsServer;
  readonly mongo: MongoServer | undefined;
  /** A temporary directory of this test file's own, removed by stop(). */
  readonly dir: string;
  stop(): Promise<void>;
}

/** Each on a free port with a temporary store, so test files never share state. */
export const startTestInfra = async ({ mongo = false } = {}): Promise<TestInfra> => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-test-'));
  const nats = await startNatsServer({ storeDir: join(dir, 'nats') });
  const mongoServer = mongo ? await startEmbeddedMongo() : undefined;
  return {
    nats,
    mongo: mongoServer,
    dir,
    stop: async () => {
      await mongoServer?.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
