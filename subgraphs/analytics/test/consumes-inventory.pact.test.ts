import { exampleEvent, messagePact, projectInto } from '@orderflow/pact';
import { SqliteDocumentStore } from '@orderflow/runtime';
import { compensationsProjection } from '../src/adapters/read-models/compensations-projection';
import { cancelledSaga, snapshotOf } from './support/pact';

const ORDER = 'ord-4711';

/** What analytics reads from inventory's stream: when a cancelled order's stock was given back. */
describe('analytics consumes the inventory events', () => {
  const projection = compensationsProjection('inventory');
  const pact = messagePact('analytics', 'inventory', projection.filterSubject);
  afterAll(() => pact.checkCommitted());

  it('times the repair of a cancelled order whose stock was released', async () => {
    const store = new SqliteDocumentStore(':memory:');
    await cancelledSaga(store, ORDER, 2_000);
    await pact.expect(
      {
        given: 'stock reserved for an order was released when it was cancelled',
        description: 'InventoryReleased: when the stock of a cancelled order was given back',
        ...exampleEvent('InventoryReleased', ORDER, {
          orderId: ORDER,
          lines: [{ sku: 'KB-001', quantity: 2 }],
        }),
      },
      projectInto(projection, store),
    );
    expect((await snapshotOf(store)).repairs).toEqual({ count: 1, meanMs: 2_000 });
    await store.close();
  });
});
