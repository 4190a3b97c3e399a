import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { gateway, repoRoot, subgraphs, subgraphUrlVariable } from '../src/services';

interface ComposeService {
  command?: string | string[];
  environment?: Record<string, string>;
  depends_on?: unknown;
  ports?: string[];
}

/** No Docker engine runs here, so the deployment file is checked by reading it. */
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };
const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it.each(subgraphs.map((s) => [s.name, s] as const))(
    'runs the %s subgraph from its built entry point against the cluster and replica set',
    (name, definition) => {
      const subgraph = service(name);
      expect(subgraph.command).toEqual(['node', definition.entry]);
      expect(subgraph.environment?.PORT).toBe(String(definition.defaultPort));
      expect(subgraph.environment?.NATS_URL?.split(',')).toHaveLength(3);
      expect(subgraph.environment?.MONGODB_URI).toMatch(/replicaSet=/);
      expect(subgraph.environment?.STREAM_REPLICAS).toBe('3');
    },
  );

  it('routes the gateway to every subgraph by its compose host name', () => {
    const gw = service('gateway');
    expect(gw.command).toEqual(['node', gateway.entry]);
    for (const { name, defaultPort } of subgraphs) {
      expect(gw.environment?.[subgraphUrlVariable(name)]).toBe(
        `http://${name}:${defaultPort}/graphql`,
      );
    }
    expect(gw.ports).toContain(`${gateway.defaultPort}:${gateway.defaultPort}`);
  });

  it('clusters three JetStream nodes that route to each other', () => {
    const nodes = ['nats-1', 'nats-2', 'nats-3'];
    for (const node of nodes) {
      const command = String(service(node).command);
      expect(command).toContain('--jetstream');
      for (const peer of nodes.filter((other) => other !== node)) {
        expect(command).toContain(`nats://${peer}:6222`);
      }
    }
  });

  it('runs MongoDB as a replica set', () => {
    expect(service('mongo').command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
  });

  it('has no default secrets: the deployment refuses to start without its own', () => {
    for (const name of [...subgraphs.map((s) => s.name), gateway.name]) {
      expect(service(name).environment?.AUTH_JWT_SECRET).toMatch(/^\$\{AUTH_JWT_SECRET:\?/);
      expect(service(name).environment?.SUBGRAPH_CALLER_SECRET).toMatch(
        /^\$\{SUBGRAPH_CALLER_SECRET:\?/,
      );
    }
  });
});
