import { aggregateFilter } from '@orderflow/contracts';
import { exampleEvent, messagePact, projectInto } from '@orderflow/pact';
import { SqliteDocumentStore } from '@orderflow/runtime';
import { catalogProjection } from '../src/adapters/read-models/catalog-projection';
import { priceCatalog } from '../src/adapters/read-models/price-catalog';
import { orderWorld } from './pact-states';

/** What the order reads from inventory's stream: its reservations' outcomes and its catalog. */
describe('order consumes the inventory events', () => {
  // Two readers of one stream, on two aggregate types: `order-saga` reads reservations, the
  // catalog projection products; each message is pinned to its reader's filter.
  const pact = messagePact('order', 'inventory', aggregateFilter('inventory', 'reservation'));
  afterAll(() => pact.checkCommitted());

  it('goes on to payment once its stock is reserved', async () => {
    const world = orderWorld();
    await world.steps.placed();
    const { orderId } = world;
    await pact.expect(
      {
        given: 'a reservation that found enough stock',
        description: 'InventoryReserved: the order’s stock is held',
        ...exampleEvent('InventoryReserved', orderId, {
          orderId,
          lines: [{ sku: 'KB-001', quantity: 2 }],
        }),
      },
      world.receiveOn('order-saga'),
    );
    expect(world.history().map((e) => e.type)).toEqual(['OrderCreated', 'OrderInventoryReserved']);
  });

  it('is cancelled, saying which line was short, when stock runs out', async () => {
    const world = orderWorld();
    await world.steps.placed();
    const { orderId } = world;
    await pact.expect(
      {
        given: 'a reservation that found too little stock',
        description: 'InventoryFailed: which line could not be reserved, and why',
        ...exampleEvent('InventoryFailed', orderId, {
          orderId,
          reason: 'OUT_OF_STOCK',
          sku: 'KB-001',
          requested: 2,
          available: 1,
        }),
      },
      world.receiveOn('order-saga'),
    );
    expect(world.history().at(-1)).toMatchObject({
      type: 'OrderCancelled',
      data: { reason: 'OUT_OF_STOCK', detail: 'KB-001: requested 2, available 1' },
    });
  });

  it('prices orders from the catalog', async () => {
    const documents = new SqliteDocumentStore(':memory:');
    const price = { amount: 8900, currency: 'USD' };
    await pact.expect(
      {
        given: 'a product in the catalog',
        filter: catalogProjection.filterSubject,
        description: 'ProductUpserted: the price of a SKU',
        ...exampleEvent('ProductUpserted', 'KB-001', {
          sku: 'KB-001',
          name: 'Mechanical keyboard',
          price,
        }),
      },
      projectInto(catalogProjection, documents),
    );
    expect(await priceCatalog(documents).pricesOf(['KB-001'])).toEqual({ 'KB-001': price });
    await documents.close();
  });
});
