import type { Viewer, WireMessage } from '@orderflow/runtime';
import { clickstreamMessage } from '../src/adapters/nats/clickstream-log';
import { ingestion, type IngestedItem } from '../src/application/ingest';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const shopFront: Viewer = { customerId: 'shop-front', admin: false, token: 'unused' };

type Report = Omit<IngestedItem, 'id' | 'occurredAt' | 'sessionId'>;

/**
 * A fresh ingestion (the real one, over a log that keeps what it would put on CLICKSTREAM) that
 * a browser reports one item to.
 */
const reported = (report: Report) => async (): Promise<readonly WireMessage[]> => {
  const published: WireMessage[] = [];
  const ingest = ingestion(
    { publish: async (envelopes) => void published.push(...envelopes.map(clickstreamMessage)) },
    () => NOW,
  );
  const item = {
    id: 'report-1',
    occurredAt: new Date(NOW - 1_000).toISOString(),
    sessionId: 'session-1',
    ...report,
  };
  const { rejected } = await ingest.ingest([item], shopFront, 'request-1');
  // A refused report publishes nothing: say why it was refused.
  if (rejected[0]) throw new Error(`ingestion refused the report: ${rejected[0].message}`);
  return published;
};

/** The situations analytics' own pacts name, as its ingestion gets into them. */
export const ingestStates = {
  'a browser reported a page view': reported({ type: 'PAGE_VIEWED', path: '/products/KB-001' }),
  'a browser reported a product view': reported({ type: 'PRODUCT_VIEWED', sku: 'KB-001' }),
  'a browser reported a product added to the cart': reported({
    type: 'ADDED_TO_CART',
    sku: 'KB-001',
    quantity: 2,
  }),
  'a browser reported a checkout started': reported({ type: 'CHECKOUT_STARTED' }),
  'a browser reported how long a page took to load': reported({
    type: 'CLIENT_TELEMETRY',
    name: 'page_load_ms',
    value: 87,
  }),
};
