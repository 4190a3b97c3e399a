import { bearer, developmentToken, graphqlData, startSystem, type System } from '@orderflow/stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, wholeNumber } from './args';
import { atExit, wasInterrupted } from './lifecycle';

export const progress = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/** The machine as a run saw it: Node, CPUs and the load average (1, 5, 15 min). */
export const machineLine = (): string =>
  `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`;

export interface BenchSystem {
  readonly system: System;
  readonly gatewayUrl: string;
  readonly dataDir: string;
  /** Authorization headers of an admin, valid for a day. */
  readonly adminHeaders: Record<string, string>;
  /** Authorization headers of customer `i` (`bench-customer-<i>`), valid for a day. */
  customerHeaders(i: number): Record<string, string>;
}

export interface BenchSystemOptions {
  /** Names the temporary data directory: orderflow-bench-<name>-… */
  readonly name: string;
  /** Extra environment for every service; logs at warn and no gateway rate limit by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Keep the data directory (logs, JetStream, SQLite) for a look afterwards. */
  readonly keepData?: boolean;
}

/** The flags of every benchmark that starts the system: the carrier's pace, the data kept. */
export const systemFlags = (shippingPollMs = '25') => ({
  'delivery-ms': {
    description: 'the simulated carrier delivers this long after dispatch',
    default: '50',
  },
  'shipping-poll-ms': {
    description: "the shipping service's delivery poller interval (a dispatch wakes it before)",
    default: shippingPollMs,
  },
  'keep-data': {
    description: 'keep the data directory (logs, JetStream, SQLite): yes/no',
    default: 'no',
  },
});

type SystemFlag = keyof ReturnType<typeof systemFlags>;

/** startBenchSystem's options from systemFlags' values, with `env` added for every service. */
export const systemOptions = (
  name: string,
  flags: Readonly<Record<SystemFlag, string>>,
  env: NodeJS.ProcessEnv = {},
): BenchSystemOptions => {
  if (!['yes', 'no'].includes(flags['keep-data'])) {
    throw new UsageError(`--keep-data is yes or no, not ${flags['keep-data']}`);
  }
  return {
    name,
    keepData: flags['keep-data'] === 'yes',
    env: {
      SHIPPING_DELIVERY_DELAY_MS: String(wholeNumber('delivery-ms', flags['delivery-ms'], 0)),
      SHIPPING_POLL_INTERVAL_MS: String(
        wholeNumber('shipping-poll-ms', flags['shipping-poll-ms'], 10),
      ),
      ...env,
    },
  };
};

/**
 * The whole system (nats-server, the subgraphs, the gateway) on the embedded defaults in a fresh
 * temporary directory, stopped and removed however the script ends. Returns undefined when the
 * script was interrupted while it started.
 */
export const startBenchSystem = async (
  options: BenchSystemOptions,
): Promise<BenchSystem | undefined> => {
  const dataDir = mkdtempSync(join(tmpdir(), `orderflow-bench-${options.name}-`));
  atExit(`remove ${dataDir}`, async () => {
    if (options.keepData) progress(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000', ...options.env };
  progress(`starting nats-server, the subgraphs and the gateway (data in ${dataDir})…`);
  const starting = startSystem({ dataDir, output: 'files', env });
  atExit('stop the system', async () => {
    const system = await starting.catch(() => undefined);
    await system?.stop();
  });
  const system = await starting;
  if (wasInterrupted()) return undefined;
  progress(`system up: gateway ${system.gatewayUrl}, logs in ${join(dataDir, 'logs')}`);
  const tokenOptions = { expiresIn: 24 * 3600 };
  const customers = new Map<number, Record<string, string>>();
  return {
    system,
    gatewayUrl: system.gatewayUrl,
    dataDir,
    adminHeaders: bearer(developmentToken('bench-admin', { ...tokenOptions, admin: true })),
    customerHeaders: (i) => {
      let headers = customers.get(i);
      if (headers === undefined) {
        headers = bearer(developmentToken(`bench-customer-${i}`, tokenOptions));
        customers.set(i, headers);
      }
      return headers;
    },
  };
};

const UPSERT_PRODUCT = `mutation ($input: ProductInput!) { upsertProduct(input: $input) { sku } }`;
const RESTOCK = `mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { sku } }`;

/** BENCH-000, BENCH-001, … */
export const benchSkus = (products: number): string[] =>
  Array.from({ length: products }, (_, i) => `BENCH-${String(i).padStart(3, '0')}`);

/** Puts each SKU in the catalog at 10.00 USD with `stock` units. */
export const seedCatalog = async (
  bench: BenchSystem,
  skus: readonly string[],
  stock: number,
): Promise<void> => {
  for (const sku of skus) {
    const input = { sku, name: `Bench product ${sku}`, price: { amount: 1_000, currency: 'USD' } };
    await graphqlData(bench.gatewayUrl, UPSERT_PRODUCT, { input }, bench.adminHeaders);
    await graphqlData(bench.gatewayUrl, RESTOCK, { sku, quantity: stock }, bench.adminHeaders);
  }
};

/**
 * The `number`th order's PlaceOrderInput: one line, or two for odd numbers, of the given SKUs;
 * paid by card, shipped to London, with an idempotency key of its own.
 */
export const orderInput = (number: number, skus: readonly string[], lines = 2) => {
  const picked = Array.from({ length: number % 2 === 1 ? lines : 1 }, (_, line) => ({
    sku: skus[(number * (6 * line + 1) + 3 * line) % skus.length]!,
    quantity: 1,
  })).filter((line, i, all) => all.findIndex((other) => other.sku === line.sku) === i);
  return {
    lines: picked,
    paymentMethod: 'pm_card_visa',
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      city: 'London',
      postalCode: 'N1 9GU',
      country: 'GB',
    },
    idempotencyKey: `bench-${number}`,
  };
};
