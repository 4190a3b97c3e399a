import { freePort, portAccepts, readEndpoints, waitFor } from '@orderflow/stack';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { client } from './support/orderflow';

const launcher = resolve(__dirname, '../../packages/stack/dist/cli/start.js');

describe('the one-command launcher (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-launcher-'));
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts `npm start`'s launcher on dataDir and waits for its banner. */
  const launch = async (gatewayPort: number) => {
    output = '';
    const started = spawn(process.execPath, [launcher], {
      env: { ...process.env, ORDERFLOW_DATA_DIR: dataDir, GATEWAY_PORT: String(gatewayPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => started.once('exit', done));
    await waitFor('the launcher to report it is running', () => output.includes('Press Ctrl-C'), {
      timeoutMs: 90_000,
    });
    const ports = [...output.matchAll(/(?:http|nats):\/\/[\w.]+:(\d+)/g)].map((match) =>
      Number(match[1]),
    );
    const stop = async () => {
      started.kill('SIGINT');
      expect(await exited).toBe(0);
      for (const port of ports) expect(await portAccepts(port)).toBe(false);
    };
    return { ports, stop };
  };

  it('starts everything, seeds the demo catalog, prints the URLs, and stops every child on Ctrl-C', async () => {
    const gatewayPort = await freePort();
    const { ports, stop } = await launch(gatewayPort);
    // Its progress: each step with the time it took, not minutes of silence.
    for (const step of [
      /orderflow +[\d.]+s {2}nats-server ready at nats:\/\/127\.0\.0\.1:\d+ \([\d.]+s\)\n/,
      /orderflow +[\d.]+s {2}order ready at http:\/\/127\.0\.0\.1:\d+ \([\d.]+s\)\n/,
      new RegExp(`orderflow +[\\d.]+s {2}gateway ready at http://127.0.0.1:${gatewayPort} \\(`),
      /orderflow +[\d.]+s {2}demo catalog: 5 products stocked \([\d.]+s\)\n/,
    ]) {
      expect(output).toMatch(step);
    }
    expect(output).toContain(`http://localhost:${gatewayPort}/graphql`);
    expect(output).toMatch(/NATS JetStream\s+nats:\/\//);
    expect(output).toContain(`read models         SQLite, one file per service in ${dataDir}`);

    // The banner's customer token is what a newcomer curls with: it must work as printed.
    const customerToken = /customer token \(alice\)\s+(\S+)/.exec(output)?.[1];
    expect(output).toMatch(/admin token\s+eyJ/);
    const customer = client(`http://127.0.0.1:${gatewayPort}/graphql`, customerToken ?? '');
    await waitFor('the seeded catalog to be visible', async () => {
      const [keyboard, webcam] = [
        await customer.product('KB-001'),
        await customer.product('WC-006'),
      ];
      return keyboard?.available === 50 && webcam?.available === 0;
    });

    expect(ports.length).toBeGreaterThanOrEqual(6); // gateway, four subgraphs, NATS
    for (const service of ['inventory', 'order', 'payment', 'shipping']) {
      expect(existsSync(join(dataDir, 'read-models', `${service}.sqlite`))).toBe(true);
    }
    // Where the operator commands find it, until it stops.
    expect(readEndpoints(dataDir)).toMatchObject({
      status: 'running',
      gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
      nats: { embedded: true, passwordFiles: { auditor: expect.any(String) as unknown } },
    });
    await stop();
    expect(readEndpoints(dataDir)?.status).toBe('stopped');
  }, 120_000);

  it('keeps the read models across a restart and only catches up from their checkpoints', async () => {
    const gatewayPort = await freePort();
    const { stop } = await launch(gatewayPort);
    expect(output).toMatch(/demo catalog\s+already stocked/);

    const inventoryLog = readFileSync(join(dataDir, 'logs', 'inventory.log'), 'utf8');
    const starts = inventoryLog
      .split('\n')
      .filter((line) => line.includes('"projection":"products"') && line.includes('"projecting"'))
      .map((line) => JSON.parse(line) as { from: number });
    expect(starts).toHaveLength(2);
    expect(starts[1]!.from).toBeGreaterThan(1);
    expect(inventoryLog).not.toContain('rebuilding from the log');
    await stop();
  }, 120_000);

  it('says how to install nats-server when it is missing, and exits non-zero', () => {
    const result = spawnSync(process.execPath, [launcher], {
      env: {
        ...process.env,
        ORDERFLOW_DATA_DIR: dataDir,
        NATS_SERVER_BIN: '/nonexistent/nats-server',
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(127);
    expect(result.stderr).toMatch(/apt-get install nats-server/);
  });
});
