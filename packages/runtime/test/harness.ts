import type { Envelope } from '@orderflow/contracts';
import { startTestInfra, type TestInfra } from '@orderflow/stack';
import { connectNats, createLogger, randomId, type Nats } from '../src';

export const silentLog = createLogger({}, 'error', () => undefined);

/** The stack's test nats-server, with a connection to it. */
export interface Infra {
  readonly servers: TestInfra;
  readonly nats: Nats;
  stop(): Promise<void>;
}

export const startInfra = async (): Promise<Infra> => {
  const servers = await startTestInfra();
  const nats = await connectNats(servers.nats.access(), 'test');
  return {
    servers,
    nats,
    stop: async () => {
      await nats.connection.close();
      await servers.stop();
    },
  };
};

/** A restock of `sku`: the event the runtime's tests append, project and consume. */
export const stockAdjusted = (
  sku: string,
  { delta = 5, aggregateVersion = 1 }: { delta?: number; aggregateVersion?: number } = {},
): Envelope => ({
  id: randomId(),
  type: 'StockAdjusted',
  version: 1,
  occurredAt: new Date().toISOString(),
  aggregateId: sku,
  aggregateVersion,
  correlationId: 'test',
  causationId: 'test',
  data: { sku, delta, reason: 'RESTOCK' },
});
