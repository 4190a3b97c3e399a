import { defaultSupergraphPath } from '@orderflow/gateway/dist/paths';
import { GATEWAY_HEADER } from '@orderflow/runtime';
import { ManagedProcess, subgraphs } from '@orderflow/stack';
import { join } from 'node:path';
import type { BenchSystem } from '../bench-system';
import { atExit } from '../lifecycle';
import { CHILD_ENV, LISTENING } from './child-env';

export type ContenderKey = 'ours' | 'apollo' | 'hive' | 'hive-no-dedup' | 'direct';

/** Something the operations are sent to: a gateway, or for the floor a subgraph itself. */
export interface Contender {
  readonly key: ContenderKey;
  readonly label: string;
  readonly url: string;
  /** The gateway's process, whose CPU is measured; undefined for no gateway. */
  readonly pid: number | undefined;
  /** What it needs on top of the client's headers: the gateway secret, for a subgraph asked directly. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The subgraphs every gateway routes to, in the running system. */
export const subgraphUrls = (bench: BenchSystem): Record<string, string> =>
  Object.fromEntries(
    subgraphs.map(({ name }) => {
      const service = bench.system.services[name];
      if (service === undefined) throw new Error(`the system runs no ${name} subgraph`);
      return [name, service.url];
    }),
  );

export const subgraphPids = (bench: BenchSystem): number[] =>
  subgraphs.map(({ name }) => {
    const pid = bench.system.services[name]?.process.pid;
    if (pid === undefined) throw new Error(`the ${name} subgraph has no process`);
    return pid;
  });

/**
 * Starts a competitor's entry point (a sibling .js of this module) as a child process running the
 * same Node as ours, stopped however the script ends; resolves to the URL it prints once it listens.
 */
const startChild = async (
  bench: BenchSystem,
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; pid: number | undefined }> => {
  const child = new ManagedProcess({
    name,
    command: process.execPath,
    args: ['--enable-source-maps', join(__dirname, entry)],
    env: {
      [CHILD_ENV.supergraphPath]: defaultSupergraphPath,
      [CHILD_ENV.subgraphUrls]: JSON.stringify(subgraphUrls(bench)),
      [CHILD_ENV.callerSecret]: bench.system.callerSecret,
      ...env,
    },
    output: { file: join(bench.dataDir, 'logs', `${name}.log`) },
  });
  atExit(`stop ${name}`, () => child.stop());
  child.start();
  const line = await child.waitForLine((text) => text.startsWith(LISTENING), 60_000);
  return { url: line.slice(LISTENING.length).trim(), pid: child.pid };
};

/** Ours (already running in the system), the three competitors, and the inventory subgraph alone. */
export const startContenders = async (bench: BenchSystem): Promise<Contender[]> => {
  const [apollo, hive, hiveNoDedup] = await Promise.all([
    startChild(bench, 'apollo-gateway', 'apollo-gateway.js', {}),
    startChild(bench, 'hive-gateway', 'hive-gateway.js', { [CHILD_ENV.hiveDeduplication]: 'on' }),
    startChild(bench, 'hive-gateway-no-dedup', 'hive-gateway.js', {
      [CHILD_ENV.hiveDeduplication]: 'off',
    }),
  ]);
  const inventory = bench.system.services.inventory;
  if (inventory === undefined) throw new Error('the system runs no inventory subgraph');
  return [
    {
      key: 'ours',
      label: 'ours (orderflow gateway)',
      url: bench.gatewayUrl,
      pid: bench.system.services.gateway?.process.pid,
      headers: {},
    },
    { key: 'apollo', label: '@apollo/gateway, plain', ...apollo, headers: {} },
    { key: 'hive', label: 'Hive Gateway, dedup on', ...hive, headers: {} },
    { key: 'hive-no-dedup', label: 'Hive Gateway, dedup off', ...hiveNoDedup, headers: {} },
    {
      key: 'direct',
      label: 'no gateway: inventory',
      url: inventory.url,
      pid: undefined,
      headers: { [GATEWAY_HEADER]: bench.system.callerSecret },
    },
  ];
};
