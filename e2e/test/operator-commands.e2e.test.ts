import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { connectNats } from '@orderflow/runtime';
import {
  developmentToken,
  endpointsOf,
  waitFor,
  writeEndpoints,
  type NatsAccess,
} from '@orderflow/stack';
import { orderInput, orderReaching, stockReaching } from './support/orderflow';
import { startTestSystem, type TestSystem } from './support/system';

const repo = resolve(__dirname, '../..');
const node = join(repo, 'node_modules/.bin/node');
const story = join(repo, 'packages/auditor/dist/story/cli.js');
const audit = join(repo, 'packages/auditor/dist/cli.js');
const watch = join(repo, 'packages/stack/dist/cli/watch.js');

/** This environment without what would point a command at some other system. */
const ownEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^(NATS_.*|GATEWAY_URL|TOKEN|ORDERFLOW_DATA_DIR)$/.test(name),
  ),
);

interface StepJson {
  kind: string;
  type: string;
  by: string;
  cause: { type: string; id: string };
  id: string;
  status: string | null;
  traceId: string | null;
}

/**
 * The commands an operator runs against a running system (README, Operator commands), as child
 * processes on the project's Node, as `npm run story`, `audit` and `watch` start them.
 */
describe('the operator commands against a running system', () => {
  let running: TestSystem;
  let completed: string;
  /** A data directory without a record of a running system: only what the test says counts. */
  let nowhere: string;

  const run = (cli: string, args: readonly string[], env: Record<string, string>) =>
    spawnSync(node, [cli, ...args], {
      env: { ...ownEnv, ORDERFLOW_DATA_DIR: nowhere, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const asAuditor = (): Record<string, string> => ({ ...running.system.natsAccess('auditor') });

  beforeAll(async () => {
    running = await startTestSystem();
    nowhere = join(running.system.dataDir, 'elsewhere');
    await running.admin.createProduct('STORY-KB', 4500, 10);
    await stockReaching(running.customer, 'STORY-KB', { available: 10, reserved: 0 });
    ({ id: completed } = await running.customer.placeOrder(
      orderInput([{ sku: 'STORY-KB', quantity: 2 }]),
    ));
    // Deliveries wait for confirmDelivery here: an admin's request completes the order.
    await orderReaching(running.customer, completed, 'SHIPPED');
    await running.admin.confirmDelivery(completed);
    await orderReaching(running.customer, completed, 'COMPLETED');
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
  });

  describe('npm run story', () => {
    /** What happened, who made it happen and from what, for each step of a completed order. */
    const completedStory = [
      ['OrderCreated', 'order API', 'request'],
      ['StockReserved', 'inventory-saga', 'OrderCreated'],
      ['InventoryReserved', 'inventory-saga', 'OrderCreated'],
      ['OrderInventoryReserved', 'order-saga', 'InventoryReserved'],
      ['PaymentCaptured', 'payment-saga', 'OrderInventoryReserved'],
      ['OrderPaymentCaptured', 'order-payment', 'PaymentCaptured'],
      ['ShipmentDispatched', 'shipping-saga', 'OrderPaymentCaptured'],
      ['OrderShipped', 'order-shipping', 'ShipmentDispatched'],
      ['ShipmentDelivered', 'shipping API', 'request'],
      ['OrderCompleted', 'order-shipping', 'ShipmentDelivered'],
      ['StockShipped', 'inventory-saga', 'OrderCompleted'],
    ];

    it('prints every transition of the order with its cause, causes first', () => {
      const told = run(story, [completed], asAuditor());

      expect(told.stderr).toBe('');
      expect(told.status).toBe(0);
      const [header, , columns, ...rows] = told.stdout.trimEnd().split('\n');
      expect(header).toMatch(new RegExp(`^order ${completed}: COMPLETED; 11 events over `));
      expect(columns).toMatch(/^time \(UTC\)\s+since cause\s+what\s+by\s+cause\s+trace\s+detail$/);
      const transitions = rows.filter((row) => row.includes(' → '));
      expect(transitions.map((row) => /→ (\w+)/.exec(row)?.[1])).toEqual([
        'CREATED',
        'INVENTORY_RESERVED',
        'PAYMENT_CAPTURED',
        'SHIPPED',
        'COMPLETED',
      ]);
      for (const [type, by, cause] of completedStory) {
        // time, time since the cause ('-' when it is a request), what, by, cause, trace id
        const line = new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+(-|\\+[\\d.]+(ms|s|min))\\s+${type}( → \\w+)?\\s+` +
            `${by}\\s+${cause}\\s+([\\da-f]{32}|-)(\\s|$)`,
        );
        expect(rows.filter((row) => line.test(row))).toHaveLength(1);
      }
    });

    it('prints the same for machines with --json, each step after its cause', () => {
      const told = run(story, [completed, '--json'], asAuditor());

      expect(told.status).toBe(0);
      const { found, status, steps } = JSON.parse(told.stdout) as {
        found: boolean;
        status: string;
        steps: StepJson[];
      };
      expect({ found, status }).toEqual({ found: true, status: 'COMPLETED' });
      expect(steps.map(({ type, by, cause }) => [type, by, cause.type]).sort()).toEqual(
        [...completedStory].sort(),
      );
      const seen = new Set<string>();
      for (const step of steps) {
        const causeInStory = steps.some(({ id }) => id === step.cause.id);
        expect(!causeInStory || seen.has(step.cause.id)).toBe(true);
        seen.add(step.id);
        expect(step.traceId === null || /^[\da-f]{32}$/.test(step.traceId)).toBe(true);
      }
    });

    it('says in words that an order does not exist, and exits 1', () => {
      const told = run(story, ['no-such-order'], asAuditor());

      expect(told.stdout).toBe('');
      expect(told.stderr).toMatch(
        /^there is no order no-such-order: INVENTORY, ORDER, PAYMENT, SHIPPING hold no event of it, on NATS at nats:/,
      );
      expect(told.status).toBe(1);
    });
  });

  describe('npm run watch', () => {
    const alice = developmentToken('alice');

    it('prints the order’s changes and exits 0 once it is COMPLETED', () => {
      const watched = run(watch, [completed], {
        TOKEN: alice,
        GATEWAY_URL: running.system.gatewayUrl,
      });

      const changes = watched.stdout
        .trim()
        .split('\n')
        .map(
          (line) =>
            (JSON.parse(line) as { orderStatusChanged: { status: string } }).orderStatusChanged
              .status,
        );
      expect(changes).toEqual([
        'CREATED',
        'INVENTORY_RESERVED',
        'PAYMENT_CAPTURED',
        'SHIPPED',
        'COMPLETED',
      ]);
      expect(watched.stderr).toBe(
        `watch: order ${completed} is COMPLETED, where it ends (--follow keeps watching)\n`,
      );
      expect(watched.status).toBe(0);
    });

    it('explains a refused token, and exits 2', () => {
      const watched = run(watch, [completed], {
        TOKEN: developmentToken('alice', { secret: 'another-secret-entirely-0123456789' }),
        GATEWAY_URL: running.system.gatewayUrl,
      });

      expect(watched.stdout).toBe('');
      expect(watched.stderr).toMatch(
        /^watch: the gateway refused the token \(4403 Forbidden\): it is missing, malformed, expired or signed with another secret/,
      );
      expect(watched.status).toBe(2);
    });

    it('explains a missing order, or another customer’s, and exits 1', () => {
      for (const [token, orderId] of [
        [alice, 'no-such-order'],
        [developmentToken('bob'), completed],
      ] as const) {
        const watched = run(watch, [orderId], {
          TOKEN: token,
          GATEWAY_URL: running.system.gatewayUrl,
        });
        expect(watched.stderr).toBe(
          `watch: there is no order ${orderId} that this token may see: it does not exist, or ` +
            "it is another customer's (a customer sees only their own orders; an admin token " +
            'sees every one)\n',
        );
        expect(watched.status).toBe(1);
      }
    });
  });

  describe('finding the system through the record npm start writes', () => {
    beforeAll(() => {
      writeEndpoints(running.system.dataDir, endpointsOf(running.system));
    });
    const recorded = () => ({ ORDERFLOW_DATA_DIR: running.system.dataDir });

    it('story, audit and watch need no NATS_URL, user, password or GATEWAY_URL', () => {
      const told = run(story, [completed], recorded());
      expect(told.stdout).toMatch(new RegExp(`^order ${completed}: COMPLETED;`));

      const audited = run(audit, [], recorded());
      expect(audited.stdout).toMatch(/; no violations$/m);
      expect(audited.status).toBe(0);

      const watched = run(watch, [completed], { ...recorded(), TOKEN: developmentToken('alice') });
      expect(watched.stdout.trim().split('\n')).toHaveLength(5);
      expect(watched.status).toBe(0);
    });
  });

  describe('dead letters on the way', () => {
    /** A message every consumer of ORDER gives up on at once: no such event type. */
    const poison = (orderId: string) =>
      JSON.stringify({
        id: randomUUID(),
        type: 'OrderTeleported',
        version: 1,
        occurredAt: new Date().toISOString(),
        aggregateId: orderId,
        aggregateVersion: 99,
        correlationId: orderId,
        causationId: 'e2e',
        data: { orderId },
      });

    const publish = async (bus: NatsAccess, subject: string, data: string) => {
      const { connection, js } = await connectNats(bus, 'e2e-poisoner');
      try {
        await js.publish(subject, data);
      } finally {
        await connection.close();
      }
    };

    it('story shows each consumer that gave up on a message of the order, and the message', async () => {
      await publish(
        running.system.natsAccess(),
        `order.events.order.${completed}`,
        poison(completed),
      );
      let steps: StepJson[] = [];
      let unreadable: string[] = [];
      await waitFor('three dead letters in the story', () => {
        const told = run(story, [completed, '--json'], asAuditor());
        ({ steps, unreadable } = JSON.parse(told.stdout) as {
          steps: StepJson[];
          unreadable: string[];
        });
        return steps.filter(({ kind }) => kind === 'dead-letter').length === 3;
      });

      expect(
        steps
          .filter(({ kind }) => kind === 'dead-letter')
          .map(({ by, type }) => [by, type])
          .sort(),
      ).toEqual([
        ['inventory-saga', 'OrderTeleported'],
        ['payment-saga', 'OrderTeleported'],
        ['shipping-saga', 'OrderTeleported'],
      ]);
      expect(unreadable).toEqual([
        expect.stringMatching(
          /^message ORDER\/\d+: order\.events\.order\.\S+ breaks the event contract \(unknown event type "OrderTeleported"\)/,
        ),
      ]);
      const text = run(story, [completed], asAuditor()).stdout;
      expect(text).toMatch(
        /\sdead letter: OrderTeleported\s+payment-saga\s+OrderTeleported\s+([\da-f]{32}|-)\s+gave up after 1 delivery: /,
      );
    });
  });
});
