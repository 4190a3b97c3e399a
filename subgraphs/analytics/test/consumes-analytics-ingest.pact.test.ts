import { exampleEvent, messagePact, projectInto } from '@orderflow/pact';
import { SqliteDocumentStore } from '@orderflow/runtime';
import { clickstreamProcessor } from '../src/adapters/read-models/clickstream-processor';
import { byGroup, LATENESS_MS, snapshotOf } from './support/pact';

const SESSION = 'session-1';

/**
 * What analytics reads from CLICKSTREAM: the funnel's first steps and client telemetry. Its
 * provider is analytics' own ingestion, held to the same contract as another service would be.
 */
describe('analytics consumes the ingested clickstream', () => {
  const pact = messagePact(
    'analytics',
    'analytics-ingest',
    clickstreamProcessor(LATENESS_MS).filterSubject,
  );
  let store: SqliteDocumentStore;
  let receive: ReturnType<typeof projectInto>;

  beforeEach(() => {
    store = new SqliteDocumentStore(':memory:');
    receive = projectInto(clickstreamProcessor(LATENESS_MS), store);
  });
  afterEach(() => store.close());
  afterAll(() => pact.checkCommitted());

  it('counts a page view', async () => {
    await pact.expect(
      {
        given: 'a browser reported a page view',
        description: 'PageViewed: page views, the top of the funnel',
        ...exampleEvent('PageViewed', SESSION, { sessionId: SESSION, path: '/products/KB-001' }),
      },
      receive,
    );
    expect((await snapshotOf(store)).funnel).toMatchObject({ pageViews: 1 });
  });

  it('counts a product view', async () => {
    await pact.expect(
      {
        given: 'a browser reported a product view',
        description: 'ProductViewed: product views per SKU',
        ...exampleEvent('ProductViewed', SESSION, {
          sessionId: SESSION,
          sku: 'KB-001',
          source: 'WEB',
        }),
      },
      receive,
    );
    expect((await snapshotOf(store)).funnel).toMatchObject({ pageViews: 0, productViews: 1 });
    expect(await byGroup(store, 'PRODUCT_VIEWS')).toEqual([['KB-001', 1, 0]]);
  });

  it('counts a product added to the cart', async () => {
    await pact.expect(
      {
        given: 'a browser reported a product added to the cart',
        description: 'AddedToCart: additions to carts and their units per SKU',
        ...exampleEvent('AddedToCart', SESSION, { sessionId: SESSION, sku: 'KB-001', quantity: 2 }),
      },
      receive,
    );
    expect((await snapshotOf(store)).funnel).toMatchObject({ productViews: 0, addedToCart: 1 });
    expect(await byGroup(store, 'ADDED_TO_CART')).toEqual([['KB-001', 1, 2]]);
  });

  it('counts a checkout started', async () => {
    await pact.expect(
      {
        given: 'a browser reported a checkout started',
        description: 'CheckoutStarted: checkouts started, the step before an order',
        ...exampleEvent('CheckoutStarted', SESSION, { sessionId: SESSION }),
      },
      receive,
    );
    expect((await snapshotOf(store)).funnel).toMatchObject({ addedToCart: 0, checkoutsStarted: 1 });
  });

  it('averages a client measurement by its name', async () => {
    await pact.expect(
      {
        given: 'a browser reported how long a page took to load',
        description: 'ClientTelemetry: count and mean of each client measurement',
        ...exampleEvent('ClientTelemetry', SESSION, {
          sessionId: SESSION,
          name: 'page_load_ms',
          value: 87,
        }),
      },
      receive,
    );
    expect((await snapshotOf(store)).telemetry).toEqual([
      { name: 'page_load_ms', count: 1, mean: 87 },
    ]);
  });
});
