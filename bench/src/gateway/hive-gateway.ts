/**
 * A competitor for bench:gateway, in a process of its own: Hive Gateway's runtime
 * (createGatewayRuntime) served by node:http, on defaults except what the subgraphs require of
 * every caller: the client's Authorization header and the gateway secret, through its documented
 * header propagation; subgraphs are reached through its default transport,
 * @graphql-mesh/transport-http. BENCH_HIVE_DEDUPLICATION=off turns off its in-flight deduplication of
 * identical subgraph requests the documented way (transportEntries '*.http'
 * deduplicateInflightRequests: false); it is on by default. Started by gateway-bench.ts.
 */
import '@orderflow/auth/dist/node-version';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { GATEWAY_HEADER } from '@orderflow/runtime';
import { createServer } from 'node:http';
import { CHILD_ENV, childSettings, exitOnSignals, listenAndAnnounce } from './child-env';

const main = async () => {
  const { supergraphSdl, subgraphUrls, callerSecret } = childSettings();
  const deduplication = process.env[CHILD_ENV.hiveDeduplication] ?? 'on';
  if (deduplication !== 'on' && deduplication !== 'off') {
    throw new Error(`${CHILD_ENV.hiveDeduplication} is on or off, not ${deduplication}`);
  }
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    transportEntries: {
      ...Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, location]) => [name, { location }]),
      ),
      ...(deduplication === 'off'
        ? { '*.http': { options: { deduplicateInflightRequests: false } } }
        : {}),
    },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
        [GATEWAY_HEADER]: callerSecret,
      }),
    },
    logging: 'warn',
  });
  exitOnSignals();
  await listenAndAnnounce(createServer(gateway.requestListener), '/graphql');
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
