import { relative } from 'node:path';
import { dataDirOf, endpointsFile, readEndpoints, type ToolUser } from './endpoints';

/** Whether the launcher that wrote a record still runs: a crashed one never marks it stopped. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A path as a person would type it here: relative when under the working directory. */
export const displayPath = (path: string): string => {
  const near = relative(process.cwd(), path);
  return near.startsWith('..') || near === '' ? path : near;
};

/** What an operator command connects to, and how it learned each, for its messages. */
export interface Discovery {
  /** The command's environment, with what it leaves unset filled in from the running system. */
  readonly env: NodeJS.ProcessEnv;
  /** Where NATS_URL came from: "set by NATS_URL", "recorded by npm start, pid 7, in ...", ... */
  readonly natsSource: string;
  readonly gatewaySource: string;
}

/**
 * Finds the system `npm start` runs from its record in the data directory. What the environment
 * sets wins, and credentials come from the record only with its URL: a NATS_URL set by hand
 * points somewhere the recorded passwords do not open. `user` is the command's bus user.
 */
export const discoverSystem = (
  env: NodeJS.ProcessEnv = process.env,
  user: ToolUser = 'auditor',
): Discovery => {
  const dataDir = dataDirOf(env);
  const file = displayPath(endpointsFile(dataDir));
  const endpoints = readEndpoints(dataDir);
  const running = endpoints?.status === 'running' && alive(endpoints.pid);
  const absent =
    endpoints === undefined
      ? `the default: no running system is recorded in ${file}`
      : endpoints.status === 'stopped'
        ? `the default: the system recorded in ${file} stopped at ${endpoints.stoppedAt ?? '?'}`
        : `the default: npm start (pid ${endpoints.pid}), which recorded ${file}, is gone`;
  const recorded = `recorded by npm start, pid ${endpoints?.pid}, in ${file}`;
  if (!running || endpoints === undefined) {
    return {
      env,
      natsSource: env.NATS_URL === undefined ? absent : 'set by NATS_URL',
      gatewaySource: env.GATEWAY_URL === undefined ? absent : 'set by GATEWAY_URL',
    };
  }
  const filled: NodeJS.ProcessEnv = { ...env };
  if (env.NATS_URL === undefined) {
    filled.NATS_URL = endpoints.nats.url;
    const passwordFile = endpoints.nats.passwordFiles[user];
    const credentialsGiven = [env.NATS_USER, env.NATS_PASSWORD, env.NATS_PASSWORD_FILE].some(
      (value) => value !== undefined,
    );
    if (passwordFile !== undefined && !credentialsGiven) {
      filled.NATS_USER = user;
      filled.NATS_PASSWORD_FILE = passwordFile;
    }
  }
  filled.GATEWAY_URL ??= endpoints.gatewayUrl;
  return {
    env: filled,
    natsSource: env.NATS_URL === undefined ? recorded : 'set by NATS_URL',
    gatewaySource: env.GATEWAY_URL === undefined ? recorded : 'set by GATEWAY_URL',
  };
};
