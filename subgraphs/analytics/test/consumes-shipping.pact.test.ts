import { exampleEvent, messagePact, projectInto } from '@orderflow/pact';
import { SqliteDocumentStore } from '@orderflow/runtime';
import { compensationsProjection } from '../src/adapters/read-models/compensations-projection';
import { cancelledSaga, snapshotOf } from './support/pact';

const ORDER = 'ord-4711';

/** What analytics reads from shipping's stream: when a cancelled order's shipment was stopped. */
describe('analytics consumes the shipping events', () => {
  const projection = compensationsProjection('shipping');
  const pact = messagePact('analytics', 'shipping', projection.filterSubject);
  afterAll(() => pact.checkCommitted());

  it('times the repair of a cancelled order whose shipment was cancelled', async () => {
    const store = new SqliteDocumentStore(':memory:');
    await cancelledSaga(store, ORDER, 2_000);
    await pact.expect(
      {
        given: 'a shipment was cancelled with its order',
        description: 'ShipmentCancelled: when the shipment of a cancelled order was stopped',
        ...exampleEvent('ShipmentCancelled', ORDER, { orderId: ORDER }),
      },
      projectInto(projection, store),
    );
    expect((await snapshotOf(store)).repairs).toEqual({ count: 1, meanMs: 2_000 });
    await store.close();
  });
});
