import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  deploymentSecrets,
  missingSecrets,
  mongoPasswordVariable,
  natsConfigPath,
  natsPasswordVariable,
  renderNatsConfig,
} from '../src/deployment';
import { natsUsers } from '../src/nats-permissions';
import { findNatsServer } from '../src/nats-server';
import { gateway, repoRoot, subgraphs, subgraphUrlVariable } from '../src/services';

interface ComposeService {
  command?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: unknown;
  ports?: string[];
}

/** No Docker engine runs here, so the deployment file is checked by reading it. */
const composeText = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, {
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
      expect(subgraph.environment?.MONGODB_URI).toBe(
        `mongodb://${name}:\${${mongoPasswordVariable(name)}:?run npm run deploy:secrets}` +
          `@mongo:27017/orderflow_${name}?replicaSet=rs0`,
      );
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

  it('connects each subgraph to NATS as its own user', () => {
    for (const { name } of subgraphs) {
      const environment = service(name).environment;
      expect(environment?.NATS_USER).toBe(name);
      expect(environment?.NATS_PASSWORD).toMatch(
        new RegExp(`^\\$\\{${natsPasswordVariable(name)}:\\?`),
      );
    }
  });

  it('mounts into every NATS node the user file generated from the access rules, as generated', () => {
    if (readFileSync(natsConfigPath, 'utf8') !== renderNatsConfig()) {
      throw new Error('deploy/nats.conf is out of date: run `npm run deploy:config`');
    }
    for (const node of ['nats-1', 'nats-2', 'nats-3']) {
      expect(String(service(node).command)).toMatch(/^-c \/etc\/nats\/orderflow\.conf /);
      expect(service(node).volumes).toContain('./deploy/nats.conf:/etc/nats/orderflow.conf:ro');
      for (const { user } of natsUsers()) {
        expect(service(node).environment?.[natsPasswordVariable(user)]).toMatch(/^\$\{.+:\?/);
      }
    }
  });

  it('has a user file nats-server accepts once, and only once, every password is set', () => {
    const check = (env: NodeJS.ProcessEnv) =>
      spawnSync(findNatsServer(), ['-c', natsConfigPath, '-t'], { env, encoding: 'utf8' });
    const passwords = Object.fromEntries(
      natsUsers().map(({ user }) => [natsPasswordVariable(user), `secret-of-${user}`]),
    );
    expect(check(passwords).status).toBe(0);
    const withoutOne = { ...passwords, [natsPasswordVariable('payment')]: undefined };
    const refused = check(withoutOne);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(natsPasswordVariable('payment'));
  });

  it('creates a MongoDB user per service database, and the root user only initiates', () => {
    const mongo = service('mongo');
    expect(mongo.environment?.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{MONGO_ROOT_PASSWORD:\?/);
    expect(mongo.volumes).toContain(
      './deploy/mongo-users.js:/docker-entrypoint-initdb.d/orderflow-users.js:ro',
    );
    expect(mongo.command).toEqual(expect.arrayContaining(['--keyFile']));
    const script = readFileSync(join(repoRoot, 'deploy', 'mongo-users.js'), 'utf8');
    expect(script).toContain(
      `const services = ${JSON.stringify(subgraphs.map((s) => s.name))
        .replaceAll('"', "'")
        .replaceAll(',', ', ')};`,
    );
    for (const { name } of subgraphs) {
      expect(mongo.environment?.[mongoPasswordVariable(name)]).toMatch(/^\$\{.+:\?/);
    }
  });

  it('asks for exactly the secrets `npm run deploy:secrets` draws, none with a default', () => {
    const required = new Set(
      [...composeText.matchAll(/\$\{([A-Z0-9_]+)(:?[?-])?/g)].map((m) => m[1]),
    );
    expect([...required].sort()).toEqual([...deploymentSecrets()].sort());
    expect(composeText).not.toMatch(/\$\{[A-Z0-9_]+:?-/);
  });

  it('draws a hex value for each missing secret and keeps those already in .env', () => {
    const first = missingSecrets('');
    expect(first.trim().split('\n')).toHaveLength(deploymentSecrets().length);
    expect(first).toMatch(/^AUTH_JWT_SECRET=[0-9a-f]{64}$/m);
    expect(missingSecrets(first)).toBe('');
    const kept = missingSecrets('AUTH_JWT_SECRET=mine\n');
    expect(kept).not.toContain('AUTH_JWT_SECRET=');
    expect(kept.trim().split('\n')).toHaveLength(deploymentSecrets().length - 1);
  });
});
