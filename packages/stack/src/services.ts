import { join, resolve } from 'node:path';

/** The repository root, from this package's compiled location (packages/stack/dist). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

export interface ServiceDefinition {
  readonly name: string;
  /** The compiled entry point, relative to the repository root. */
  readonly entry: string;
  readonly defaultPort: number;
}

/** Started in this order; the gateway last, once every subgraph it composes answers. */
export const subgraphs: readonly ServiceDefinition[] = [
  { name: 'inventory', entry: 'subgraphs/inventory/dist/main.js', defaultPort: 4001 },
  { name: 'order', entry: 'subgraphs/order/dist/main.js', defaultPort: 4002 },
  { name: 'payment', entry: 'subgraphs/payment/dist/main.js', defaultPort: 4003 },
  { name: 'shipping', entry: 'subgraphs/shipping/dist/main.js', defaultPort: 4004 },
  { name: 'analytics', entry: 'subgraphs/analytics/dist/main.js', defaultPort: 4005 },
];

export const gateway: ServiceDefinition = {
  name: 'gateway',
  entry: 'gateway/dist/main.js',
  defaultPort: 4000,
};

export const entryPath = (service: ServiceDefinition) => join(repoRoot, service.entry);

/** The environment variable that tells the gateway where a subgraph listens. */
export const subgraphUrlVariable = (name: string) => `SUBGRAPH_${name.toUpperCase()}_URL`;
