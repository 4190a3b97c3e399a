import {
  developmentToken,
  startSystem,
  type NatsAccess,
  type System,
  type SystemOptions,
} from '@orderflow/stack';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { client, type Client } from './orderflow';

/**
 * Settings for a system under test: deliveries wait for confirmDelivery (so a test can look at an
 * order while it is SHIPPED), and the payment deadline is short enough to watch it pass.
 */
export const testSettings = {
  LOG_LEVEL: 'warn',
  SHIPPING_DELIVERY_DELAY_MS: '600000',
  ORDER_DEADLINE_INVENTORY_MS: '15000',
  ORDER_DEADLINE_PAYMENT_MS: '3000',
  ORDER_DEADLINE_SHIPPING_MS: '15000',
  ORDER_DEADLINE_DELIVERY_MS: '600000',
  ORDER_DEADLINE_POLL_MS: '200',
  // The tests poll; the gateway's default per-client rate limit is for people, not for pollers.
  GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
} as const;

export interface TestSystem {
  readonly system: System;
  /** Sets up the catalog and confirms deliveries. */
  readonly admin: Client;
  /** Places, follows and cancels orders, as customer alice. */
  readonly customer: Client;
  stop(): Promise<void>;
}

export const startTestSystem = async (
  env: Record<string, string> = {},
  options: Pick<SystemOptions, 'readModels'> = {},
): Promise<TestSystem> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-e2e-'));
  const system = await startSystem({
    dataDir,
    output: 'files',
    env: { ...testSettings, ...env },
    ...options,
  });
  return {
    system,
    admin: client(system.gatewayUrl, developmentToken('e2e-admin', { admin: true })),
    customer: client(system.gatewayUrl, developmentToken('alice')),
    stop: async () => {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Runs the invariant auditor over the system's whole event log, as an operator would. */
export const audit = (bus: NatsAccess) => {
  const result = spawnSync(
    process.execPath,
    [resolve(__dirname, '../../../packages/auditor/dist/cli.js')],
    { env: { ...process.env, ...testSettings, ...bus }, encoding: 'utf8' },
  );
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
};
