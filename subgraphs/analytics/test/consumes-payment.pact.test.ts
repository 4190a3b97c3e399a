import { exampleEvent, messagePact, projectInto } from '@orderflow/pact';
import { SqliteDocumentStore } from '@orderflow/runtime';
import { compensationsProjection } from '../src/adapters/read-models/compensations-projection';
import { paymentsProcessor } from '../src/adapters/read-models/payments-processor';
import { cancelledSaga, earlier, LATENESS_MS, snapshotOf } from './support/pact';

const ORDER = 'ord-4711';
const amount = { amount: 4200, currency: 'USD' };
const captured = {
  orderId: ORDER,
  paymentId: 'pay_1',
  amount,
  method: 'pm_card_visa',
};
const refunded = { orderId: ORDER, paymentId: 'pay_1', amount, refundId: 'ref_1' };

/** What analytics reads from the payment's stream: revenue, and when a payment was undone. */
describe('analytics consumes the payment events', () => {
  const pact = messagePact('analytics', 'payment', paymentsProcessor(LATENESS_MS).filterSubject);
  let store: SqliteDocumentStore;
  const revenue = async () => (await snapshotOf(store)).revenue.map((r) => [r.currency, r.total]);

  beforeEach(() => {
    store = new SqliteDocumentStore(':memory:');
  });
  afterEach(() => store.close());
  afterAll(() => pact.checkCommitted());

  it('counts a captured payment as revenue', async () => {
    await pact.expect(
      {
        given: 'a payment was captured',
        description: 'PaymentCaptured: revenue per currency',
        ...exampleEvent('PaymentCaptured', ORDER, captured),
      },
      projectInto(paymentsProcessor(LATENESS_MS), store),
    );
    expect(await revenue()).toEqual([['USD', 4200]]);
  });

  it('takes a refund off the revenue', async () => {
    const receive = projectInto(paymentsProcessor(LATENESS_MS), store);
    await receive(earlier(30_000, 'PaymentCaptured', ORDER, captured));
    await pact.expect(
      {
        given: 'a captured payment was refunded',
        description: 'PaymentRefunded: revenue given back',
        ...exampleEvent('PaymentRefunded', ORDER, refunded, 2),
      },
      receive,
    );
    expect(await revenue()).toEqual([['USD', 0]]);
  });

  it('times the repair of a cancelled order whose payment was refunded', async () => {
    await cancelledSaga(store, ORDER, 2_000);
    await pact.expect(
      {
        given: 'a captured payment was refunded',
        description: 'PaymentRefunded: when the payment of a cancelled order was undone',
        ...exampleEvent('PaymentRefunded', ORDER, refunded, 2),
      },
      projectInto(compensationsProjection('payment'), store),
    );
    expect((await snapshotOf(store)).repairs).toEqual({ count: 1, meanMs: 2_000 });
  });

  it('times the repair of a cancelled order whose payment was voided before any charge', async () => {
    await cancelledSaga(store, ORDER, 3_000);
    await pact.expect(
      {
        given: 'an order cancelled before its payment was charged',
        description: 'PaymentCancelled: when the payment of a cancelled order was undone',
        ...exampleEvent('PaymentCancelled', ORDER, { orderId: ORDER }),
      },
      projectInto(compensationsProjection('payment'), store),
    );
    expect((await snapshotOf(store)).repairs).toEqual({ count: 1, meanMs: 3_000 });
  });
});
