import { streams } from '@orderflow/contracts';
import { connectNats, ensureStream, type Nats } from '@orderflow/runtime';
import { startTestInfra, type TestInfra } from '@orderflow/stack';
import { readLog } from '../src';
import { appendLog, createStreams } from './append-log';
import { outcomes, stocked } from './saga-outcomes';

const byId = <T extends { id: string }>(events: readonly T[]) =>
  [...events].sort((a, b) => a.id.localeCompare(b.id));

describe('readLog on a real JetStream', () => {
  let infra: TestInfra;
  let nats: Nats;

  beforeAll(async () => {
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'read-log-int-test');
  });
  afterAll(async () => {
    await nats.connection.close();
    await infra.stop();
  });

  it('reads streams that are empty or do not exist yet as empty', async () => {
    await ensureStream(nats.jsm, streams.order);

    expect(await readLog(nats)).toEqual({ events: [], violations: [] });
  });

  it('reads every event of every stream, each stream in order', async () => {
    await createStreams(nats);
    const h = stocked();
    for (const write of Object.values(outcomes)) write(h);
    await appendLog(nats, h.events);

    const log = await readLog(nats);

    expect(byId(log.events)).toEqual(byId(h.events));
    expect(log.events.map(({ type }) => type).slice(0, 2)).toEqual([
      'ProductUpserted',
      'StockAdjusted',
    ]);
    expect(log.violations).toEqual([]);
  });

  it('reports a message that breaks the contract instead of failing', async () => {
    const ack = await nats.js.publish('order.events.order.broken', 'not json');

    const log = await readLog(nats, [streams.order.name]);

    expect(log.violations).toEqual([
      {
        invariant: 'contract',
        subject: `message ORDER/${ack.seq}`,
        message: expect.stringMatching(
          /^order\.events\.order\.broken breaks the event contract \(message is not JSON\)/,
        ) as string,
      },
    ]);
    expect(log.events.length).toBeGreaterThan(0);
  });
});
