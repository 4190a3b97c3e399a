import { exampleEvent, examplePlacedOrder, messagePact, projectInto } from '@orderflow/pact';
import { SqliteDocumentStore } from '@orderflow/runtime';
import { ordersProcessor } from '../src/adapters/read-models/orders-processor';
import { byGroup, earlier, LATENESS_MS, snapshotOf } from './support/pact';

const ORDER = 'ord-4711';
const amount = { amount: 4200, currency: 'USD' };
const address = examplePlacedOrder(ORDER).shippingAddress;

/** What analytics reads from the order's stream: the saga's metrics, in event time. */
describe('analytics consumes the order events', () => {
  const pact = messagePact('analytics', 'order', ordersProcessor(LATENESS_MS).filterSubject);
  let store: SqliteDocumentStore;
  let receive: ReturnType<typeof projectInto>;
  /** How many sagas wait in each status: what the saga's steps move. */
  const waiting = async () =>
    Object.fromEntries((await snapshotOf(store)).inFlight.map((s) => [s.status, s.count]));
  const placedTwoMinutesEarlier = () =>
    receive(earlier(120_000, 'OrderCreated', ORDER, examplePlacedOrder(ORDER)));

  beforeEach(() => {
    store = new SqliteDocumentStore(':memory:');
    receive = projectInto(ordersProcessor(LATENESS_MS), store);
  });
  afterEach(() => store.close());
  afterAll(() => pact.checkCommitted());

  it('counts an order placed, its products and where it ships', async () => {
    await pact.expect(
      {
        given: 'an order was placed',
        description: 'OrderCreated: orders placed, units and revenue per product, by country',
        ...exampleEvent('OrderCreated', ORDER, examplePlacedOrder(ORDER)),
      },
      receive,
    );
    const snapshot = await snapshotOf(store);
    expect(snapshot.ordersPlaced).toBe(1);
    expect(await byGroup(store, 'ORDERS_PLACED')).toEqual([['GB', 1, 0]]);
    expect(snapshot.topProducts).toEqual([
      { sku: 'KB-001', units: 2, revenue: [{ amount: 4200, currency: 'USD' }] },
    ]);
    expect(await waiting()).toMatchObject({ CREATED: 1 });
  });

  it('moves the saga on when its stock is reserved', async () => {
    await placedTwoMinutesEarlier();
    await pact.expect(
      {
        given: 'an order whose stock is reserved',
        description: 'OrderInventoryReserved: the saga waits on payment',
        ...exampleEvent(
          'OrderInventoryReserved',
          ORDER,
          { orderId: ORDER, amount, paymentMethod: 'pm_card_visa' },
          2,
        ),
      },
      receive,
    );
    expect(await waiting()).toMatchObject({ CREATED: 0, INVENTORY_RESERVED: 1 });
  });

  it('moves the saga on when it is paid', async () => {
    await placedTwoMinutesEarlier();
    await pact.expect(
      {
        given: 'an order whose payment is captured',
        description: 'OrderPaymentCaptured: the saga waits on shipping',
        ...exampleEvent(
          'OrderPaymentCaptured',
          ORDER,
          {
            orderId: ORDER,
            paymentId: 'pay_1',
            lines: [{ sku: 'KB-001', quantity: 2 }],
            shippingAddress: address,
          },
          3,
        ),
      },
      receive,
    );
    expect(await waiting()).toMatchObject({ CREATED: 0, PAYMENT_CAPTURED: 1 });
  });

  it('moves the saga on when it is handed to the carrier', async () => {
    await placedTwoMinutesEarlier();
    await pact.expect(
      {
        given: 'an order handed to the carrier',
        description: 'OrderShipped: the saga waits on delivery',
        ...exampleEvent('OrderShipped', ORDER, { orderId: ORDER, trackingNumber: 'TRK-1' }, 4),
      },
      receive,
    );
    expect(await waiting()).toMatchObject({ CREATED: 0, SHIPPED: 1 });
  });

  it('counts a delivered order as completed, with how long its saga took', async () => {
    await placedTwoMinutesEarlier();
    await pact.expect(
      {
        given: 'an order delivered',
        description: 'OrderCompleted: orders completed and saga durations',
        ...exampleEvent('OrderCompleted', ORDER, { orderId: ORDER }, 5),
      },
      receive,
    );
    const snapshot = await snapshotOf(store);
    expect(snapshot.ordersCompleted).toBe(1);
    expect(snapshot.sagaDuration.count).toBe(1);
    // The sketch's answer is within its 1% relative accuracy of the two minutes it took.
    expect(snapshot.sagaDuration.p50).toBeGreaterThan(118_000);
    expect(snapshot.sagaDuration.p50).toBeLessThan(122_000);
    expect(await waiting()).toMatchObject({ CREATED: 0 });
  });

  it('counts a cancelled order as failed, at the step it stopped and why', async () => {
    await placedTwoMinutesEarlier();
    await pact.expect(
      {
        given: 'an order cancelled for lack of stock',
        description: 'OrderCancelled: orders failed by step and reason, and saga durations',
        ...exampleEvent('OrderCancelled', ORDER, { orderId: ORDER, reason: 'OUT_OF_STOCK' }, 2),
      },
      receive,
    );
    const snapshot = await snapshotOf(store);
    expect(snapshot.failures).toEqual([{ step: 'INVENTORY', reason: 'OUT_OF_STOCK', count: 1 }]);
    expect(snapshot.failureRate).toBe(1);
    expect(await waiting()).toMatchObject({ CREATED: 0 });
  });
});
