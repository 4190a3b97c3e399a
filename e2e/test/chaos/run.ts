import {
  developmentToken,
  startSystem,
  waitFor,
  type System,
  type SystemOptions,
} from '@orderflow/stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, orderInput, type Client } from '../support/orderflow';
import { audit } from '../support/system';
import type { Fault } from './faults';
import { startLoad } from './load';
import { deadLettersFrom } from './log';
import { judge, type Verdict } from './verdict';

export interface ChaosProfile {
  /** Orders each phase drives through the gateway. */
  readonly orders: number;
  readonly customers: number;
  /** Each customer's pause between orders. */
  readonly pauseMs: number;
}

export const profiles: Readonly<Record<string, ChaosProfile>> = {
  /** Inside npm test: every fault, few orders. */
  short: { orders: 60, customers: 6, pauseMs: 50 },
  /** npm run chaos. */
  long: { orders: 1_500, customers: 16, pauseMs: 20 },
};

/**
 * The system under chaos: deliveries that follow dispatch quickly, deadlines long enough that a
 * fault's outage does not cancel orders (cancelling would be correct, but it would hide whether
 * the saga finishes), and deliveries lost with a killed process handed out again after 3 s.
 */
const settings = {
  LOG_LEVEL: 'warn',
  SHIPPING_DELIVERY_DELAY_MS: '200',
  SHIPPING_POLL_INTERVAL_MS: '100',
  ORDER_DEADLINE_INVENTORY_MS: '120000',
  ORDER_DEADLINE_PAYMENT_MS: '120000',
  ORDER_DEADLINE_SHIPPING_MS: '120000',
  ORDER_DEADLINE_DELIVERY_MS: '120000',
  ORDER_DEADLINE_POLL_MS: '500',
  CONSUMER_ACK_WAIT_MS: '3000',
  GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
} as const;

export interface FaultReport {
  readonly name: string;
  /** From the fault until an order placed right after it completed end to end. */
  readonly recoveredInMs: number;
}

export interface PhaseReport {
  readonly name: string;
  readonly ordersDriven: number;
  readonly retries: number;
  readonly faults: readonly FaultReport[];
  readonly verdict: Verdict;
  readonly audit: { readonly exitCode: number | null; readonly output: string };
  /** Per poison kind expected at each durable of ORDER: dead letters found, by durable. */
  readonly poison: ReadonlyMap<string, number> | undefined;
}

const SKUS = ['CHAOS-A', 'CHAOS-B', 'CHAOS-C', 'CHAOS-D'];
const STATUS = 'query ($id: ID!) { order(id: $id) { status } }';

/** Places one order (retrying through the outage) and waits until it is COMPLETED. */
const probe = async (customer: Client, key: string) => {
  const input = orderInput([{ sku: SKUS[0]!, quantity: 1 }], { idempotencyKey: key });
  let id = '';
  await waitFor(
    'a probe order to be accepted',
    async () => {
      id = (await customer.placeOrder(input)).id;
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  await waitFor(
    'the probe order to complete',
    // Only the order subgraph answers this: recovery is measured on the saga, not on joins.
    async () => {
      const { data } = await customer.raw(STATUS, { id });
      return (data as { order?: { status?: string } } | null)?.order?.status === 'COMPLETED';
    },
    {
      timeoutMs: 60_000,
      intervalMs: 100,
    },
  );
  return id;
};

/**
 * One phase: a system started with `options`, a bounded load of orders through the gateway, the
 * faults injected one by one while the load runs (each measured until an order completes again),
 * then the verdict from the log, the auditor, and the dead letters of the poison.
 */
export const runPhase = async (
  name: string,
  options: Pick<SystemOptions, 'natsCluster' | 'replicas' | 'env'>,
  faultsOf: (system: System) => readonly Fault[],
  profile: ChaosProfile,
  poisonDurables: readonly string[] = [],
  poisonKinds = 0,
): Promise<PhaseReport> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-chaos-'));
  const system = await startSystem({
    dataDir,
    output: 'files',
    ...options,
    env: { ...settings, ...options.env },
  });
  let failed = false;
  try {
    const admin = client(system.gatewayUrl, developmentToken('chaos-admin', { admin: true }));
    for (const sku of SKUS) await admin.createProduct(sku, 1000, 1_000_000);
    const customers = Array.from({ length: profile.customers }, (_, n) =>
      client(system.gatewayUrl, developmentToken(`chaos-customer-${n}`)),
    );
    const load = startLoad({
      customers,
      total: profile.orders,
      skus: SKUS,
      pauseMs: profile.pauseMs,
      label: name,
    });
    const faults = faultsOf(system);
    const reports: FaultReport[] = [];
    const probes: string[] = [];
    for (const [index, fault] of faults.entries()) {
      // Spread the faults over the run.
      const due = Math.floor(((index + 1) * profile.orders) / (faults.length + 2));
      await waitFor(`${due} orders before "${fault.name}"`, () => load.placed.length >= due, {
        timeoutMs: 300_000,
      });
      const started = Date.now();
      await fault.inject();
      probes.push(await probe(customers[0]!, `${name}-probe-${index}`));
      reports.push({ name: fault.name, recoveredInMs: Date.now() - started });
    }
    await load.done;
    const placed = [
      ...load.placed,
      ...probes.map((id) => ({ id, idempotencyKey: id, declined: false })),
    ];
    const verdict = await judge(system.natsAccess(), placed, 120_000);
    const dead =
      poisonKinds > 0
        ? await deadLettersFrom(system.natsAccess(), 'order.events.order.chaos-poison-')
        : undefined;
    return {
      name,
      ordersDriven: placed.length,
      retries: load.retries(),
      faults: reports,
      verdict,
      audit: audit(system.natsAccess('auditor')),
      poison: dead && new Map(poisonDurables.map((durable) => [durable, dead.get(durable) ?? 0])),
    };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await system.stop();
    // Kept for a post-mortem when the phase failed or when asked: every process's log, the
    // JetStream store, the read models.
    if (failed || process.env.CHAOS_KEEP_DATA === 'yes') {
      console.log(`chaos data kept in ${dataDir}`);
    } else {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What `npm run chaos` prints: per phase, what was done to the system and what it came to. */
export const formatReport = (phases: readonly PhaseReport[]): string =>
  [
    'chaos report',
    ...phases.flatMap((phase) => [
      '',
      `${phase.name}`,
      `  orders driven      ${phase.ordersDriven} (${phase.verdict.completed} completed, ${phase.verdict.cancelled} cancelled; ${phase.retries} placements retried)`,
      `  faults injected    ${phase.faults.length}`,
      ...phase.faults.map(
        (fault) => `    ${fault.name.padEnd(52)} recovered in ${seconds(fault.recoveredInMs)}`,
      ),
      `  orders lost        ${phase.verdict.lost.length}`,
      `  effects doubled    ${phase.verdict.doubled.length}`,
      `  wrong outcomes     ${phase.verdict.wrongOutcome.length}`,
      ...(phase.poison
        ? [
            `  poison dead-lettered by ${[...phase.poison].map(([durable, count]) => `${durable} ${count}`).join(', ')}`,
          ]
        : []),
      `  audit              ${phase.audit.output.trim().split('\n').at(-1) ?? ''}`,
    ]),
  ].join('\n');
