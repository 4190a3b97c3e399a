import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverSystem } from '../src/discover-system';
import {
  endpointsFile,
  endpointsOf,
  markStopped,
  natsPasswordFile,
  readEndpoints,
  writeEndpoints,
  type Endpoints,
} from '../src/endpoints';

describe('the endpoints npm start records, and how the operator commands find them', () => {
  let dataDir: string;
  const env = () => ({ ORDERFLOW_DATA_DIR: dataDir });

  const system = () => ({
    dataDir,
    gatewayUrl: 'http://127.0.0.1:4000/graphql',
    natsUrl: 'nats://127.0.0.1:4222',
    natsNodes: [{}],
    mongoUri: undefined,
    readModelDir: '/data/read-models',
  });
  const record = (changes: Partial<Endpoints> = {}): Endpoints => ({
    ...endpointsOf(system(), new Date('2026-01-01T12:00:00Z')),
    ...changes,
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'orderflow-endpoints-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('records an embedded system: its URLs, its read models and the tools’ password files', () => {
    expect(record()).toEqual({
      status: 'running',
      pid: process.pid,
      startedAt: '2026-01-01T12:00:00.000Z',
      gatewayUrl: 'http://127.0.0.1:4000/graphql',
      nats: {
        url: 'nats://127.0.0.1:4222',
        embedded: true,
        passwordFiles: {
          auditor: natsPasswordFile(dataDir, 'auditor'),
          operator: natsPasswordFile(dataDir, 'operator'),
        },
      },
      readModels: { store: 'sqlite', dir: '/data/read-models' },
    });
  });

  it('keeps the secrets of an external NATS and MongoDB out of the record', () => {
    const external = endpointsOf({
      ...system(),
      natsNodes: [],
      mongoUri: 'mongodb://user:secret@db/?replicaSet=rs0',
    });
    expect(external.nats).toEqual({
      url: 'nats://127.0.0.1:4222',
      embedded: false,
      passwordFiles: {},
    });
    expect(external.readModels).toEqual({ store: 'mongodb' });
    expect(JSON.stringify(external)).not.toContain('secret');
  });

  it('fills in what the environment leaves unset from a running system, as the given user', () => {
    writeEndpoints(dataDir, record());

    const { env: filled, natsSource, gatewaySource } = discoverSystem(env(), 'operator');

    expect(filled).toEqual({
      ORDERFLOW_DATA_DIR: dataDir,
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_USER: 'operator',
      NATS_PASSWORD_FILE: natsPasswordFile(dataDir, 'operator'),
      GATEWAY_URL: 'http://127.0.0.1:4000/graphql',
    });
    expect(natsSource).toBe(
      `recorded by npm start, pid ${process.pid}, in ${endpointsFile(dataDir)}`,
    );
    expect(gatewaySource).toBe(natsSource);
  });

  it('lets the environment win, and takes no recorded password for a NATS_URL set by hand', () => {
    writeEndpoints(dataDir, record());
    const mine = { NATS_URL: 'nats://elsewhere:4222', GATEWAY_URL: 'http://elsewhere/graphql' };

    const discovery = discoverSystem({ ...env(), ...mine }, 'auditor');

    expect(discovery.env).toEqual({ ...env(), ...mine });
    expect(discovery.natsSource).toBe('set by NATS_URL');
    expect(discovery.gatewaySource).toBe('set by GATEWAY_URL');
  });

  it('keeps credentials the environment gives for the recorded NATS', () => {
    writeEndpoints(dataDir, record());

    const { env: filled } = discoverSystem({ ...env(), NATS_USER: 'admin', NATS_PASSWORD: 'pw' });

    expect(filled).toMatchObject({ NATS_URL: 'nats://127.0.0.1:4222', NATS_USER: 'admin' });
    expect(filled.NATS_PASSWORD_FILE).toBeUndefined();
  });

  it('uses nothing from a system that stopped, and says so', () => {
    writeEndpoints(dataDir, record());
    markStopped(dataDir, new Date('2026-01-01T13:00:00Z'));

    expect(readEndpoints(dataDir)).toMatchObject({
      status: 'stopped',
      stoppedAt: '2026-01-01T13:00:00.000Z',
    });
    const discovery = discoverSystem(env());
    expect(discovery.env).toEqual(env());
    expect(discovery.natsSource).toBe(
      `the default: the system recorded in ${endpointsFile(dataDir)} stopped at ` +
        '2026-01-01T13:00:00.000Z',
    );
  });

  it('uses nothing from a launcher that died without marking its record', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeEndpoints(dataDir, record({ pid: gone }));

    const discovery = discoverSystem(env());

    expect(discovery.env).toEqual(env());
    expect(discovery.natsSource).toMatch(new RegExp(`npm start \\(pid ${gone}\\).* is gone$`));
  });

  it('says when there is no record, or one it cannot read', () => {
    expect(discoverSystem(env()).natsSource).toBe(
      `the default: no running system is recorded in ${endpointsFile(dataDir)}`,
    );
    writeFileSync(endpointsFile(dataDir), '{ "status": "running" ');
    expect(readEndpoints(dataDir)).toBeUndefined();
    expect(discoverSystem(env()).env).toEqual(env());
  });
});
