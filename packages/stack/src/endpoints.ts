import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './services';

/**
 * Where `npm start` keeps the log, the read models, the logs and its endpoints: `.data` at the
 * repository's root unless ORDERFLOW_DATA_DIR says otherwise. Absolute, so a record written from
 * one directory is read the same from another.
 */
export const dataDirOf = (env: NodeJS.ProcessEnv = process.env): string =>
  resolve(env.ORDERFLOW_DATA_DIR ?? join(repoRoot, '.data'));

export const endpointsFile = (dataDir: string) => join(dataDir, 'endpoints.json');

/** Where the embedded bus keeps the password of `user`, drawn afresh at each start. */
export const natsPasswordFile = (dataDir: string, user: string) =>
  join(dataDir, 'nats', 'passwords', user);

/** The bus users of the operator commands: `npm run audit` and `story` read, `deadletters` acts. */
export const TOOL_USERS = ['auditor', 'operator'] as const;
export type ToolUser = (typeof TOOL_USERS)[number];

/**
 * What `npm start` records about the system it runs, so that the operator commands find it
 * without being told. It names secrets only by the files that hold them.
 */
export interface Endpoints {
  /** `stopped` once the launcher stopped every process; a crashed launcher leaves `running`. */
  readonly status: 'running' | 'stopped';
  /** The launcher's process, to tell a crashed one from a running one. */
  readonly pid: number;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly gatewayUrl: string;
  readonly nats: {
    readonly url: string;
    /** Started by the launcher, with a password per user; else the NATS_URL it was given. */
    readonly embedded: boolean;
    /** The file holding each tool user's password, on the embedded bus. */
    readonly passwordFiles: Readonly<Partial<Record<ToolUser, string>>>;
  };
  readonly readModels:
    { readonly store: 'sqlite'; readonly dir: string } | { readonly store: 'mongodb' };
}

/** What the record needs of a started System (structurally: system.ts imports this module). */
interface RecordedSystem {
  readonly dataDir: string;
  readonly gatewayUrl: string;
  readonly natsUrl: string;
  readonly natsNodes: readonly unknown[];
  readonly mongoUri: string | undefined;
  readonly readModelDir: string;
}

/** The record of a system this process started. */
export const endpointsOf = (system: RecordedSystem, now = new Date()): Endpoints => {
  const embedded = system.natsNodes.length > 0;
  return {
    status: 'running',
    pid: process.pid,
    startedAt: now.toISOString(),
    gatewayUrl: system.gatewayUrl,
    nats: {
      url: system.natsUrl,
      embedded,
      // An external bus is reached with the environment's credentials, which stay out of files.
      passwordFiles: embedded
        ? Object.fromEntries(
            TOOL_USERS.map((user) => [user, natsPasswordFile(system.dataDir, user)]),
          )
        : {},
    },
    readModels:
      system.mongoUri === undefined
        ? { store: 'sqlite', dir: system.readModelDir }
        : { store: 'mongodb' },
  };
};

/** Written whole under another name, then renamed: a reader never sees half a record. */
export const writeEndpoints = (dataDir: string, endpoints: Endpoints): void => {
  mkdirSync(dataDir, { recursive: true });
  const file = endpointsFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(endpoints, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
};

const isEndpoints = (value: unknown): value is Endpoints => {
  const record = value as Partial<Endpoints> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    (record.status === 'running' || record.status === 'stopped') &&
    typeof record.pid === 'number' &&
    typeof record.gatewayUrl === 'string' &&
    typeof record.nats?.url === 'string' &&
    typeof record.nats.passwordFiles === 'object'
  );
};

/** The record in dataDir; undefined when there is none or it is not one (a hand-edited file). */
export const readEndpoints = (dataDir: string): Endpoints | undefined => {
  try {
    const parsed: unknown = JSON.parse(readFileSync(endpointsFile(dataDir), 'utf8'));
    return isEndpoints(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/** On shutdown: the record stays, so a command can say the system it names has stopped. */
export const markStopped = (dataDir: string, now = new Date()): void => {
  const endpoints = readEndpoints(dataDir);
  if (endpoints === undefined) return;
  writeEndpoints(dataDir, { ...endpoints, status: 'stopped', stoppedAt: now.toISOString() });
};
