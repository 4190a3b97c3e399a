import { dirname, join } from 'node:path';
import { MissingBinary } from './nats-server';
import { freePort } from './ports';
import { ManagedProcess, type ChildSpec } from './process';

const PACKAGE = '@jongodb/memory-server-bin-linux-x64-gnu';

/** The embedded MongoDB wire-compatible server that ships as an npm package (linux-x64, glibc). */
export const findEmbeddedMongo = (): string => {
  try {
    return join(dirname(require.resolve(`${PACKAGE}/package.json`)), 'bin', 'jongodb');
  } catch {
    throw new MissingBinary(
      `the embedded MongoDB server (${PACKAGE}) is not installed; it exists for linux-x64 with ` +
        'glibc only. Run `npm install`, or set MONGODB_URI to a running MongoDB 7.',
    );
  }
};

export interface MongoServer {
  readonly uri: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the embedded server (in memory: its data lives as long as the process). */
export const startEmbeddedMongo = async (
  options: { port?: number; output?: ChildSpec['output'] } = {},
): Promise<MongoServer> => {
  const port = options.port ?? (await freePort());
  const child = new ManagedProcess({
    name: 'mongodb',
    command: findEmbeddedMongo(),
    args: [`--port=${port}`, '--host=127.0.0.1'],
    ...(options.output ? { output: options.output } : {}),
  });
  child.start();
  await child.waitForLine((line) => line.startsWith('JONGODB_URI='));
  return { uri: `mongodb://127.0.0.1:${port}`, port, stop: () => child.stop() };
};
