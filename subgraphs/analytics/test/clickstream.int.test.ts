import { catalog, encodeEnvelope, streams, subjectOf, type Envelope } from '@orderflow/contracts';
import { provisionForeignStreams } from '@orderflow/runtime/testing';
import { connectNats, randomId, type Nats } from '@orderflow/runtime';
import { startTestInfra, waitFor, type TestInfra } from '@orderflow/stack';
import { join } from 'node:path';
import { analytics, type Analytics } from './support/analytics-process';

const FUNNEL = `{ metrics(window: { minutes: 5 }) {
  funnel { pageViews productViews addedToCart checkoutsStarted } rejectedEvents
  telemetry { name count mean }
} }`;
interface Funnel {
  metrics: {
    funnel: Record<string, number>;
    rejectedEvents: number;
    telemetry: { name: string; count: number; mean: number }[];
  };
}

const reported = (
  type: Envelope['type'],
  data: unknown,
  version: number = catalog[type].version,
): Envelope =>
  ({
    id: randomId(),
    type,
    version,
    occurredAt: new Date().toISOString(),
    aggregateId: 'session-1',
    aggregateVersion: 1,
    correlationId: 'session-1',
    causationId: 'producer',
    data,
  }) as Envelope;

describe('clickstream published by producers straight on the bus', () => {
  let infra: TestInfra;
  let nats: Nats;
  let service: Analytics;

  beforeAll(async () => {
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'producer');
    // The saga's streams, which analytics also reads, belong to services not started here.
    await provisionForeignStreams(infra.nats.access(), [
      streams.order,
      streams.payment,
      streams.inventory,
      streams.shipping,
    ]);
    service = await analytics(infra, join(infra.dir, 'analytics'), 'analytics');
  });
  afterAll(async () => {
    await service?.process.stop();
    await nats?.connection.close();
    await infra?.stop();
  });

  it('counts the funnel and telemetry, v1 ProductViewed events from the log too, and counts malformed messages without stopping', async () => {
    const publish = (subject: string, bytes: Uint8Array | string) =>
      nats.js.publish(subject, bytes);
    const session = subjectOf('PageViewed', 'session-1');
    await publish(
      session,
      encodeEnvelope(reported('PageViewed', { sessionId: 'session-1', path: '/' })),
    );
    await publish(session, 'not json at all');
    await publish(session, JSON.stringify(reported('AddedToCart', { sessionId: 'session-1' })));
    await publish(
      session,
      encodeEnvelope(
        reported('ProductViewed', { sessionId: 'session-1', sku: 'KB-001', source: 'WEB' }),
      ),
    );
    // A v1 event already in the log, from before ProductViewed gained `source`: it is upcast.
    await publish(
      session,
      JSON.stringify(reported('ProductViewed', { sessionId: 'session-1', sku: 'KB-002' }, 1)),
    );
    for (const value of [100, 300]) {
      await publish(
        session,
        encodeEnvelope(
          reported('ClientTelemetry', { sessionId: 'session-1', name: 'page_load_ms', value }),
        ),
      );
    }
    let last: Funnel | undefined;
    await waitFor('the reports to be counted', async () => {
      last = await service.query<Funnel>(FUNNEL);
      return last.metrics.telemetry.length > 0 && last.metrics.rejectedEvents === 2;
    });
    expect(last?.metrics.funnel).toEqual({
      pageViews: 1,
      productViews: 2,
      addedToCart: 0,
      checkoutsStarted: 0,
    });
    expect(last?.metrics.telemetry).toEqual([{ name: 'page_load_ms', count: 2, mean: 200 }]);
  });
});
