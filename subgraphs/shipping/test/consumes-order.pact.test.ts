import { aggregateFilter, subjectOf } from '@orderflow/contracts';
import { deliverTo, exampleAddress, exampleEvent, messagePact, projectInto } from '@orderflow/pact';
import {
  AggregateRepository,
  orderOwners,
  orderOwnersProjection,
  SqliteDocumentStore,
  toWire,
} from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { simulatedCarrier } from '../src/adapters/carrier/simulator';
import { orderEventsConsumer } from '../src/adapters/nats/order-events-consumer';
import { addressesProjection } from '../src/adapters/read-models/addresses-projection';
import { addressesReadModel } from '../src/adapters/read-models/addresses-read-model';
import { orderReactions } from '../src/application/order-reactions';
import { shipmentDecider } from '../src/domain/shipment';

const ORDER = 'ord-4711';

const paid = exampleEvent(
  'OrderPaymentCaptured',
  ORDER,
  {
    orderId: ORDER,
    paymentId: 'pay_3f2a9c1e',
    lines: [{ sku: 'KB-001', quantity: 2 }],
    shippingAddress: exampleAddress,
  },
  3,
);

/** What shipping reads from the order's stream: the contract it holds order to. */
describe('shipping consumes the order events', () => {
  const pact = messagePact('shipping', 'order', aggregateFilter('order', 'order'));
  let store: MemoryEventStore;
  const consumer = () =>
    orderEventsConsumer(
      orderReactions(
        new AggregateRepository(store, shipmentDecider, {
          context: 'shipping',
          aggregate: 'shipment',
        }),
        simulatedCarrier({ failureRate: 0 }),
      ),
    );
  const shipment = () => store.events(subjectOf('ShipmentDispatched', ORDER)).map((e) => e.type);

  beforeEach(() => {
    store = new MemoryEventStore();
  });
  afterAll(() => pact.checkCommitted());

  it('hands a paid order to the carrier', async () => {
    await pact.expect(
      {
        given: 'an order whose payment is captured',
        description: 'OrderPaymentCaptured: what to ship, and where to',
        ...paid,
      },
      deliverTo(consumer()),
    );
    expect(shipment()).toEqual(['ShipmentDispatched']);
  });

  it('recalls the parcel of a cancelled order', async () => {
    await deliverTo(consumer())(toWire(paid.subject, paid.example));
    await pact.expect(
      {
        given: 'an order cancelled by its customer after payment',
        description: 'OrderCancelled: the parcel must not arrive',
        ...exampleEvent(
          'OrderCancelled',
          ORDER,
          { orderId: ORDER, reason: 'CUSTOMER_CANCELLED' },
          4,
        ),
      },
      deliverTo(consumer()),
    );
    expect(shipment()).toEqual(['ShipmentDispatched', 'ShipmentCancelled']);
  });

  it('keeps where a paid order goes, for the carrier to be asked about it later', async () => {
    const documents = new SqliteDocumentStore(':memory:');
    await pact.expect(
      {
        given: 'an order whose payment is captured',
        description: 'OrderPaymentCaptured: the address the carrier is asked about',
        ...paid,
      },
      projectInto(addressesProjection, documents),
    );
    expect(await addressesReadModel(documents).addressOf(ORDER)).toEqual(exampleAddress);
    await documents.close();
  });

  it('learns who placed an order, to answer only its owner', async () => {
    const documents = new SqliteDocumentStore(':memory:');
    await pact.expect(
      {
        given: 'an order was placed',
        description: 'OrderCreated: who placed the order',
        ...exampleEvent('OrderCreated', ORDER, {
          orderId: ORDER,
          customerId: 'customer-1',
          lines: [{ sku: 'KB-001', quantity: 2, unitPrice: { amount: 8900, currency: 'USD' } }],
          total: { amount: 17800, currency: 'USD' },
          paymentMethod: 'pm_card_visa',
          shippingAddress: exampleAddress,
          placedAt: '2026-01-01T12:00:00.000Z',
        }),
      },
      projectInto(orderOwnersProjection, documents),
    );
    expect(await orderOwners(documents).ownersOf([ORDER])).toEqual(
      new Map([[ORDER, 'customer-1']]),
    );
    await documents.close();
  });
});
