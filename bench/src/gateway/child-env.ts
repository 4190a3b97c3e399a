import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the benchmark tells a competitor gateway it starts: the environment variables below, so
 * that every gateway serves the same supergraph from the same running subgraphs.
 */
export const CHILD_ENV = {
  supergraphPath: 'BENCH_SUPERGRAPH_PATH',
  /** JSON: subgraph name -> its /graphql URL in the running system. */
  subgraphUrls: 'BENCH_SUBGRAPH_URLS',
  /** What the subgraphs answer only when shown (System.callerSecret). */
  callerSecret: 'BENCH_CALLER_SECRET',
  /** Hive Gateway's in-flight deduplication of subgraph requests: on (its default) or off. */
  hiveDeduplication: 'BENCH_HIVE_DEDUPLICATION',
} as const;

/** The line a competitor prints once it listens; the benchmark waits for it. */
export const LISTENING = 'listening ';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

export interface ChildSettings {
  readonly supergraphSdl: string;
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly callerSecret: string;
}

export const childSettings = (): ChildSettings => ({
  supergraphSdl: readFileSync(required(CHILD_ENV.supergraphPath), 'utf8'),
  subgraphUrls: JSON.parse(required(CHILD_ENV.subgraphUrls)) as Record<string, string>,
  callerSecret: required(CHILD_ENV.callerSecret),
});

/** Listens on a free port of 127.0.0.1 and prints where, for the parent's waitForLine. */
export const listenAndAnnounce = (server: Server, path: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      process.stdout.write(`${LISTENING}http://127.0.0.1:${port}${path}\n`);
      resolve();
    });
  });

/** A parent's SIGTERM (ManagedProcess.stop) ends the child at once: it holds nothing to flush. */
export const exitOnSignals = (): void => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
};
