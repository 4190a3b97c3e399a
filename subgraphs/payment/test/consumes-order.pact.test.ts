import { aggregateFilter, subjectOf } from '@orderflow/contracts';
import {
  deliverTo,
  exampleEvent,
  examplePlacedOrder,
  messagePact,
  projectInto,
} from '@orderflow/pact';
import { orderOwners, orderOwnersProjection, SqliteDocumentStore } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { orderEventsConsumer } from '../src/adapters/nats/order-events-consumer';
import { simulatedPaymentProvider } from '../src/adapters/provider/simulator';
import { orderReactions } from '../src/application/order-reactions';
import { createPaymentRepository } from '../src/application/payment-repository';

const ORDER = 'ord-4711';
const amount = { amount: 4200, currency: 'USD' };

/** What payment reads from the order's stream: the contract it holds order to. */
describe('payment consumes the order events', () => {
  const pact = messagePact('payment', 'order', aggregateFilter('order', 'order'));
  let store: MemoryEventStore;
  const consumer = () =>
    orderEventsConsumer(
      orderReactions(
        createPaymentRepository(store),
        simulatedPaymentProvider({ latencyMs: 0, failureRate: 0 }),
      ),
    );
  const payment = () => store.events(subjectOf('PaymentCaptured', ORDER)).map((e) => e.type);

  beforeEach(() => {
    store = new MemoryEventStore();
  });
  afterAll(() => pact.checkCommitted());

  it('charges an order once its stock is reserved', async () => {
    await pact.expect(
      {
        given: 'an order whose stock is reserved',
        description: 'OrderInventoryReserved: the amount to charge and how',
        ...exampleEvent('OrderInventoryReserved', ORDER, {
          orderId: ORDER,
          amount,
          paymentMethod: 'pm_card_visa',
        }),
      },
      deliverTo(consumer()),
    );
    expect(payment()).toEqual(['PaymentCaptured']);
  });

  it('refunds a captured payment when the order is cancelled', async () => {
    const capture = exampleEvent('OrderInventoryReserved', ORDER, {
      orderId: ORDER,
      amount,
      paymentMethod: 'pm_card_visa',
    });
    await deliverTo(consumer())({
      subject: capture.subject,
      data: new TextEncoder().encode(JSON.stringify(capture.example)),
    });
    await pact.expect(
      {
        given: 'an order cancelled by its customer after payment',
        description: 'OrderCancelled: the order will not go on',
        ...exampleEvent(
          'OrderCancelled',
          ORDER,
          { orderId: ORDER, reason: 'CUSTOMER_CANCELLED' },
          4,
        ),
      },
      deliverTo(consumer()),
    );
    expect(payment()).toEqual(['PaymentCaptured', 'PaymentRefunded']);
  });

  it('learns who placed an order, to answer only its owner', async () => {
    const documents = new SqliteDocumentStore(':memory:');
    await pact.expect(
      {
        given: 'an order was placed',
        description: 'OrderCreated: who placed the order',
        ...exampleEvent('OrderCreated', ORDER, examplePlacedOrder(ORDER)),
      },
      projectInto(orderOwnersProjection, documents),
    );
    expect(await orderOwners(documents).ownersOf([ORDER])).toEqual(
      new Map([[ORDER, 'customer-1']]),
    );
    await documents.close();
  });
});
