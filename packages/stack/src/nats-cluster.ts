import { join } from 'node:path';
import {
  accessAs,
  startNatsServer,
  type NatsAccess,
  type NatsPasswords,
  type NatsServer,
} from './nats-server';
import { freePort } from './ports';
import type { ChildSpec } from './process';
import { waitFor } from './wait';

export interface NatsCluster {
  /** Every node's URL, comma-separated: what clients are given to fail over between them. */
  readonly url: string;
  /** How `user` (by default `admin`) connects to it, failing over between the nodes. */
  access(user?: string): NatsAccess;
  readonly nodes: readonly NatsServer[];
  stop(): Promise<void>;
}

/**
 * Several nats-server processes on this machine forming one JetStream cluster, each with its own
 * store; streams created with 3 replicas survive the loss of a node. Waits until JetStream has
 * elected its meta leader, so streams can be created at once.
 */
export const startNatsCluster = async (options: {
  readonly size?: number;
  readonly storeDir: string;
  readonly output?: (node: string) => ChildSpec['output'];
  readonly passwords?: NatsPasswords;
}): Promise<NatsCluster> => {
  const size = options.size ?? 3;
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = clusterPorts.map((port) => `nats://127.0.0.1:${port}`);
  const nodes: NatsServer[] = [];
  const stop = async () => {
    for (const node of nodes.toReversed()) await node.stop();
  };
  try {
    for (const [index, clusterPort] of clusterPorts.entries()) {
      const name = `nats-${index + 1}`;
      nodes.push(
        await startNatsServer({
          storeDir: join(options.storeDir, name),
          cluster: {
            name: 'orderflow',
            serverName: name,
            port: clusterPort,
            routes: routes.filter((_, other) => other !== index),
          },
          ...(options.output ? { output: options.output(name) } : {}),
          ...(options.passwords ? { passwords: options.passwords } : {}),
        }),
      );
    }
    await waitFor(
      'the JetStream cluster to elect a leader',
      async () => {
        const response = await fetch(`http://127.0.0.1:${nodes[0]!.monitorPort}/jsz`).catch(
          () => undefined,
        );
        const status = (await response?.json().catch(() => undefined)) as
          { meta_cluster?: { leader?: string } } | undefined;
        return Boolean(status?.meta_cluster?.leader);
      },
      { timeoutMs: 30_000 },
    );
    const url = nodes.map((node) => node.url).join(',');
    return { url, access: (user) => accessAs(url, options.passwords, user), nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
