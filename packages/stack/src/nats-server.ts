import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ADMIN_USER, renderAuthorization } from './nats-permissions';
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
  /**
   * Each bus user's password: the server then admits only them, each with its permissions
   * (nats-permissions.ts). Without it, anyone may connect and do anything.
   */
  readonly passwords?: NatsPasswords;
}

/** A password for every user of the bus, `admin` included. */
export type NatsPasswords = Readonly<Record<string, string>>;

/** How a client reaches the bus and who it is there: a process's NATS_* settings. */
export interface NatsAccess {
  readonly NATS_URL: string;
  readonly NATS_USER?: string;
  readonly NATS_PASSWORD?: string;
}

/** A user's access to a server with these passwords; any access to one without. */
export const accessAs = (
  url: string,
  passwords: NatsPasswords | undefined,
  user = ADMIN_USER,
): NatsAccess => {
  if (passwords === undefined) return { NATS_URL: url };
  const password = passwords[user];
  if (password === undefined) throw new Error(`the bus has no user ${user}`);
  return { NATS_URL: url, NATS_USER: user, NATS_PASSWORD: password };
};

export interface NatsServer {
  readonly url: string;
  /** How `user` (by default `admin`) connects to it. */
  access(user?: string): NatsAccess;
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
  if (options.passwords) {
    const passwords = options.passwords;
    const config = join(options.storeDir, 'authorization.conf');
    writeFileSync(
      config,
      renderAuthorization((user) => JSON.stringify(passwords[user])),
      {
        mode: 0o600,
      },
    );
    args.push('-c', config);
  }
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
  const url = `nats://127.0.0.1:${port}`;
  return {
    url,
    access: (user) => accessAs(url, options.passwords, user),
    port,
    monitorPort,
    process: child,
    restart: start,
    stop: () => child.stop(),
  };
};
