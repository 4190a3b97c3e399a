import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { connectNats, type Nats } from '@orderflow/runtime';
import { endpointsOf, startTestInfra, writeEndpoints, type TestInfra } from '@orderflow/stack';
import { appendLog, createStreams } from './append-log';
import { HOUR, outcomes, stocked } from './saga-outcomes';

const cli = join(__dirname, '..', 'dist', 'cli.js');

describe('the orderflow-audit command', () => {
  let infra: TestInfra;
  let nats: Nats;

  /** This process's environment without what would point the command at another system. */
  const ownEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('NATS_') && name !== 'ORDERFLOW_DATA_DIR',
    ),
  );
  const runAudit = (env: Record<string, string> = {}, natsUrl: string | null = infra.nats.url) =>
    spawnSync(process.execPath, [cli], {
      env: {
        ...ownEnv,
        // A data directory with no record in it, unless a test writes one.
        ORDERFLOW_DATA_DIR: join(infra.dir, 'no-system'),
        ...(natsUrl === null ? {} : { NATS_URL: natsUrl }),
        ...env,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });

  beforeAll(async () => {
    if (!existsSync(cli)) {
      throw new Error(`${cli} is missing: npx turbo run build --filter=@orderflow/auditor`);
    }
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'cli-int-test');
    await createStreams(nats);
  });
  afterAll(async () => {
    await nats.connection.close();
    await infra.stop();
  });

  it('does not report success for a log with no events: it says so and exits 2', () => {
    const run = runAudit();

    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'orderflow-audit read no events: INVENTORY, ORDER, PAYMENT, SHIPPING are empty or missing ' +
        `on NATS at ${infra.nats.url} (set by NATS_URL). Nothing was audited; point NATS_URL at ` +
        "the system's NATS, or start it with npm start.\n",
    );
    expect(run.status).toBe(2);
  });

  it('exits 0 with the summary when the log keeps every invariant', async () => {
    const h = stocked(Date.now() - HOUR);
    for (const write of Object.values(outcomes)) write(h);
    await appendLog(nats, h.events);

    const run = runAudit();

    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(
      `audited ${h.events.length} events: 5 orders, 2 products; no violations`,
    );
    expect(run.status).toBe(0);
  });

  it('exits 1 and prints the violation when an order was refunded twice', async () => {
    const h = stocked(Date.now() - HOUR).place('twice', [{ sku: 'KB', quantity: 1 }]);
    h.reserve('twice').capture('twice').cancel('twice', 'CUSTOMER_CANCELLED').release('twice');
    h.refund('twice', 'refund-1').refund('twice', 'refund-2');
    // The products are in the log already; append only what this order adds.
    await appendLog(
      nats,
      h.events.filter(({ correlationId }) => correlationId === 'twice'),
    );

    const run = runAudit();

    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('refund-exactly-once (1):');
    expect(lines[1]).toMatch(/^ {2}order twice: Refunded 2 times: PaymentRefunded /);
    expect(lines.at(-1)).toMatch(/: 6 orders, 2 products; 1 violation$/);
    expect(run.status).toBe(1);
  });

  it('exits 2 naming each bad setting', () => {
    const run = runAudit({ ORDER_DEADLINE_PAYMENT_MS: 'soon', AUDIT_GRACE_MS: '-1' });

    expect(run.stderr).toMatch(/ORDER_DEADLINE_PAYMENT_MS: .*\n.*AUDIT_GRACE_MS: /);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });

  it('exits 2 when it cannot reach NATS, saying where it looked and why there', () => {
    const run = runAudit({ NATS_URL: 'nats://127.0.0.1:1' });

    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^orderflow-audit could not read the log: could not connect to NATS at nats:\/\/127\.0\.0\.1:1 \(set by NATS_URL\): connection refused\. Start the system with npm start/,
    );
    expect(run.status).toBe(2);
  });

  it('audits the system npm start recorded when NATS_URL is not set', () => {
    const dataDir = mkdtempSync(join(infra.dir, 'data-'));
    const system = {
      dataDir,
      gatewayUrl: 'http://127.0.0.1:1/graphql',
      natsUrl: infra.nats.url,
      natsNodes: [],
      mongoUri: undefined,
      readModelDir: join(dataDir, 'read-models'),
    };
    writeEndpoints(dataDir, endpointsOf(system));

    const run = runAudit({ ORDERFLOW_DATA_DIR: dataDir }, null);

    expect(run.stdout).toMatch(/^refund-exactly-once \(1\):/);
    expect(run.status).toBe(1);
  });
});
