import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from './nats-server';

/** A real nats-server for one test file, and a directory for the test's read models. */
export interface TestInfra {
  readonly nats: NatsServer;
  /** A temporary directory of this test file's own, removed by stop(). */
  readonly dir: string;
  stop(): Promise<void>;
}

/** Each on a free port with a temporary store, so test files never share state. */
export const startTestInfra = async (): Promise<TestInfra> => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-test-'));
  const nats = await startNatsServer({ storeDir: join(dir, 'nats') });
  return {
    nats,
    dir,
    stop: async () => {
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
