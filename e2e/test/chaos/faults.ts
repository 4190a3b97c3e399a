import { connectNats } from '@orderflow/runtime';
import type { NatsAccess, System } from '@orderflow/stack';
import { randomUUID } from 'node:crypto';

/** A fault the run injects, and how it is undone (restart); undefined when it undoes itself. */
export interface Fault {
  readonly name: string;
  inject(): Promise<void>;
}

/** SIGKILL one process of the system, then start it again and wait until it is ready. */
export const killAndRestart = (system: System, service: string): Fault => ({
  name: `SIGKILL ${service}, restart`,
  inject: async () => {
    const running = system.services[service];
    if (!running) throw new Error(`no service ${service} in this system`);
    await running.process.kill();
    await running.restart();
  },
});

/** SIGKILL a nats-server (the only one, or one node of a cluster), then start it on its store. */
export const restartNats = (system: System, node = 0): Fault => ({
  name:
    system.natsNodes.length > 1
      ? `SIGKILL NATS node ${node + 1} of ${system.natsNodes.length}, restart`
      : 'SIGKILL nats-server, restart on the same store',
  inject: async () => {
    const server = system.natsNodes[node]!;
    await server.process.kill();
    await server.restart();
  },
});

/** Where poison goes: order subjects every saga consumer of ORDER reads. */
export const POISON_SUBJECT = 'order.events.order.chaos-poison-';

const envelope = (changes: Record<string, unknown>) =>
  JSON.stringify({
    id: randomUUID(),
    type: 'OrderCreated',
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: 'chaos-poison',
    aggregateVersion: 1,
    correlationId: 'chaos',
    causationId: 'chaos',
    data: {
      orderId: 'chaos-poison',
      customerId: 'chaos',
      lines: [{ sku: 'X', quantity: 1, unitPrice: { amount: 1, currency: 'USD' } }],
      total: { amount: 1, currency: 'USD' },
      paymentMethod: 'pm_card_visa',
      shippingAddress: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'GB' },
      placedAt: new Date().toISOString(),
    },
    ...changes,
  });

/** Messages that break the event contract, each of which every consumer must dead-letter. */
export const poisonMessages: Readonly<Record<string, string>> = {
  'malformed-envelope': JSON.stringify({ type: 'OrderCreated', data: {} }),
  'unknown-type': envelope({ type: 'OrderTeleported' }),
  'oversized-payload': envelope({
    data: { orderId: 'chaos-poison', paymentMethod: 'x'.repeat(900_000) },
  }),
};

export const publishPoison = (bus: NatsAccess): Fault => ({
  name: `${Object.keys(poisonMessages).length} poison messages on ORDER`,
  inject: async () => {
    const { connection, js } = await connectNats(bus, 'chaos-poisoner');
    try {
      for (const [kind, message] of Object.entries(poisonMessages)) {
        await js.publish(`${POISON_SUBJECT}${kind}`, message);
      }
    } finally {
      await connection.close();
    }
  },
});
