import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freePort } from './ports';
import { ManagedProcess, type ChildSpec } from './process';
import { portAccepts, waitFor } from './wait';

export class MissingBinary extends Error {
  override readonly name = 'MissingBinary';
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const installHint =
  'Install it (Debian/Ubuntu: `sudo apt-get install nats-server`; others: ' +
  'https://docs.nats.io/running-a-nats-service/introduction/installation), set NATS_SERVER_BIN ' +
  'to its path, or point NATS_URL at a running server with JetStream.';

/** nats-server from NATS_SERVER_BIN, the PATH, or the sbin directories Debian installs it in. */
export const findNatsServer = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env.NATS_SERVER_BIN) {
    if (executable(env.NATS_SERVER_BIN)) return env.NATS_SERVER_BIN;
    throw new MissingBinary(
      `NATS_SERVER_BIN=${env.NATS_SERVER_BIN} is not an executable file. ${installHint}`,
    );
  }
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  const found = dirs
    .filter(Boolean)
    .map((dir) => join(dir, 'nats-server'))
    .find(executable);
  if (found) return found;
  throw new MissingBinary(`nats-server was not found. ${installHint}`);
};

export interface NatsServerOptions {
  readonly port?: number;
  /** JetStream's file store; it survives restarts of the server. */
  readonly storeDir: string;
  readonly output?: ChildSpec['output'];
  /** For clusters: this node's name, its cluster port and the routes to its peers. */
  readonly cluster?: { name: string; serverName: string; port: number; routes: string[] };
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  /** Its HTTP monitoring port (/varz, /jsz, /healthz). */
  readonly monitorPort: number;
  readonly process: ManagedProcess;
  /** Starts it again on the same port and store, e.g. after a kill in a crash test. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const startNatsServer = async (options: NatsServerOptions): Promise<NatsServer> => {
  const port = options.port ?? (await freePort());
  const monitorPort = await freePort();
  mkdirSync(options.storeDir, { recursive: true });
  const args = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)];
  args.push('-js', '-sd', options.storeDir);
  if (options.cluster) {
    const { name, serverName, port: clusterPort, routes } = options.cluster;
    args.push(
      '-n',
      serverName,
      '--cluster_name',
      name,
      '--cluster',
      `nats://127.0.0.1:${clusterPort}`,
    );
    args.push('--routes', routes.join(','));
  }
  const child = new ManagedProcess({
    name: 'nats-server',
    command: findNatsServer(),
    args,
    ...(options.output ? { output: options.output } : {}),
  });
  const start = async () => {
    child.start();
    await waitFor(`nats-server on port ${port}`, () => portAccepts(port));
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorPort,
    process: child,
    restart: start,
    stop: () => child.stop(),
  };
};
