import type { Envelope } from '@orderflow/contracts';
import type { Viewer } from '@orderflow/runtime';
import { ingestion, MAX_BATCH, type IngestedItem } from '../src/application/ingest';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const shopFront: Viewer = { customerId: 'shop', admin: false, token: 't' };
const view = (id: string, fields: Partial<IngestedItem> = {}): IngestedItem => ({
  id,
  type: 'PRODUCT_VIEWED',
  occurredAt: new Date(NOW - 1_000).toISOString(),
  sessionId: 'session-1',
  sku: 'KB-001',
  ...fields,
});

const given = () => {
  const published: Envelope[] = [];
  const ingest = ingestion({ publish: async (batch) => void published.push(...batch) }, () => NOW);
  return { published, ingest };
};

describe('ingesting reported events', () => {
  it('stores each valid item and refuses each malformed one with its own error, counted', async () => {
    const { published, ingest } = given();
    const result = await ingest.ingest(
      [
        view('ok-1'),
        view('no-sku', { type: 'ADDED_TO_CART', sku: null }),
        view('ok-2', { type: 'CLIENT_TELEMETRY', name: 'page_load_ms', value: 87 }),
        view('bad-name', { type: 'CLIENT_TELEMETRY', name: 'Page Load', value: 1 }),
        view('bad-session', { sessionId: 'has space' }),
      ],
      shopFront,
      'request-1',
    );
    expect(result.accepted).toBe(2);
    expect(result.rejected.map(({ index }) => index)).toEqual([1, 3, 4]);
    expect(result.rejected[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: /AddedToCart.*sku/,
    });
    expect(published.map((e) => e.type)).toEqual(['ProductViewed', 'ClientTelemetry']);
    expect(ingest.refused()).toBe(3);
  });

  it('publishes ProductViewed as v2, from the web unless the item says otherwise', async () => {
    const { published, ingest } = given();
    await ingest.ingest([view('web'), view('app', { source: 'APP' })], shopFront, 'r');
    expect(published.map(({ version, data }) => ({ version, data }))).toEqual([
      { version: 2, data: { sessionId: 'session-1', sku: 'KB-001', source: 'WEB' } },
      { version: 2, data: { sessionId: 'session-1', sku: 'KB-001', source: 'APP' } },
    ]);
  });

  it('refuses an event from the future, which would close every bucket', async () => {
    const { ingest } = given();
    const ahead = new Date(NOW + 5 * 60_000).toISOString();
    const result = await ingest.ingest([view('future', { occurredAt: ahead })], shopFront, 'r');
    expect(result.rejected[0]?.message).toMatch(/in the future/);
  });

  it('gives a retried item the same id, so the log stores it once', async () => {
    const { published, ingest } = given();
    await ingest.ingest([view('same')], shopFront, 'r1');
    await ingest.ingest([view('same')], shopFront, 'r2');
    expect(published[0]?.id).toBe(published[1]?.id);
    await ingest.ingest([view('same')], { ...shopFront, customerId: 'other-shop' }, 'r3');
    expect(published[2]?.id).not.toBe(published[0]?.id);
  });

  it(`refuses a batch of more than ${MAX_BATCH} as a whole, storing nothing`, async () => {
    const { published, ingest } = given();
    const items = Array.from({ length: MAX_BATCH + 1 }, (_, i) => view(`i-${i}`));
    await expect(ingest.ingest(items, shopFront, 'r')).rejects.toThrow(/at most 500 events/);
    expect(published).toEqual([]);
  });
});
