import { streams } from '@orderflow/contracts';
import { connectNats, ensureStream, type Nats } from '@orderflow/runtime';
import { startTestInfra, waitFor, type TestInfra } from '@orderflow/stack';
import { join } from 'node:path';
import { analytics, type Analytics } from './support/analytics-process';
import { appendPlanned, lateOrder, LOG_START, plannedSagas } from './support/saga-log';

const metrics = [
  'ORDERS_PLACED',
  'ORDERS_COMPLETED',
  'ORDERS_FAILED',
  'REVENUE',
  'SAGA_DURATION',
  'PRODUCT_UNITS',
  'PRODUCT_REVENUE',
];

const SERIES = `query ($metric: Metric!, $from: String!, $to: String!) {
  metricSeries(metric: $metric, from: $from, to: $to, bucket: MINUTE, groupBy: true) {
    bucket group count sum p50 p95 p99
  }
}`;
const STANDING = `{ metrics(window: { minutes: 1 }) { inFlight { status count } lateEvents { processor late } watermark } }`;

describe('the processors, killed mid-stream and run as two replicas', () => {
  let infra: TestInfra;
  let nats: Nats;
  const started: Analytics[] = [];
  const start = async (dir: string, name: string) => {
    const instance = await analytics(infra, join(infra.dir, dir), name);
    started.push(instance);
    return instance;
  };
  const caughtUp = async (instance: Analytics) => {
    const [order, payment] = await Promise.all(
      [streams.order.name, streams.payment.name].map(
        async (name) => (await nats.jsm.streams.info(name)).state.last_seq,
      ),
    );
    await waitFor(
      'the processors to reach the end of their streams',
      async () => {
        const at = await instance.positions();
        return (
          at.get('projection analytics-orders') === order &&
          at.get('projection analytics-payments') === payment
        );
      },
      { timeoutMs: 60_000 },
    );
  };
  /** Every figure the views answer: all series, in-flight counts, late counts. */
  const figures = async (instance: Analytics) => {
    const range = {
      from: new Date(LOG_START - 2 * 3_600_000).toISOString(),
      to: new Date(LOG_START + 4 * 3_600_000).toISOString(),
    };
    const series = await Promise.all(
      metrics.map((metric) => instance.query<unknown>(SERIES, { metric, ...range })),
    );
    return { series, standing: await instance.query<unknown>(STANDING) };
  };

  beforeAll(async () => {
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'analytics-recovery-test');
    for (const context of ['order', 'payment', 'inventory', 'shipping'] as const) {
      await ensureStream(nats.jsm, streams[context]);
    }
  });
  afterAll(async () => {
    await Promise.all(started.map((instance) => instance.process.stop()));
    await nats?.connection.close();
    await infra?.stop();
  });

  it('counts nothing twice after a kill, and two replicas count what one counts', async () => {
    // Alone on its store, so what it counts after the kill is its own doing; the replicas share one.
    const killed = await start('killed', 'analytics-killed');
    const replicas = [await start('shared', 'analytics-1'), await start('shared', 'analytics-2')];
    const half = plannedSagas(250);
    await appendPlanned(nats, half.order, 'order');
    await appendPlanned(nats, half.payment, 'payment');
    const rest = plannedSagas(250, 250);
    const appending = Promise.all([
      appendPlanned(nats, [...rest.order, lateOrder()], 'order'),
      appendPlanned(nats, rest.payment, 'payment'),
    ]);
    await waitFor('the processor to be mid-stream', async () => {
      const position = (await killed.positions()).get('projection analytics-orders') ?? 0;
      return position > 600;
    });
    await killed.process.kill();
    await appending;
    await killed.start();
    await Promise.all([killed, ...replicas].map(caughtUp));

    const fresh = await start('fresh', 'analytics-fresh');
    await caughtUp(fresh);
    const recount = await figures(fresh);
    expect(JSON.stringify(recount.standing)).toContain('"late":1');
    expect(await figures(killed)).toEqual(recount);
    for (const replica of replicas) expect(await figures(replica)).toEqual(recount);
  });
});
