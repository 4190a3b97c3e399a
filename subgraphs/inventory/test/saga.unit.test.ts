import { subjectOf, type DomainEvent, type Envelope } from '@orderflow/contracts';
import { causedBy, randomId, requestCause } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { createRepositories, type Repositories } from '../src/application/repositories';
import { releaseForOrder, shipForOrder } from '../src/application/order-outcomes';
import { reserveForOrder } from '../src/application/reserve-for-order';

const ORDER = 'o-1';
const setupCause = requestCause('setup', 'setup', new Date());

const orderCreated = (
  lines: { sku: string; quantity: number }[],
): Envelope<DomainEvent<'OrderCreated'>> => ({
  id: randomId(),
  type: 'OrderCreated',
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  aggregateId: ORDER,
  aggregateVersion: 1,
  correlationId: ORDER,
  causationId: 'request-1',
  data: {
    orderId: ORDER,
    customerId: 'c-1',
    lines: lines.map((line) => ({ ...line, unitPrice: { amount: 100, currency: 'USD' } })),
    total: { amount: 100, currency: 'USD' },
    paymentMethod: 'pm_card_visa',
    shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'US' },
    placedAt: '2026-01-01T00:00:00.000Z',
  },
});

describe('reserveForOrder', () => {
  let store: MemoryEventStore;
  let repositories: Repositories;

  const product = async (sku: string, stock: number) => {
    const price = { amount: 100, currency: 'USD' };
    await repositories.products.handle(
      sku,
      { type: 'UpsertProduct', sku, name: sku, price },
      setupCause,
    );
    await repositories.products.handle(
      sku,
      { type: 'AdjustStock', sku, quantity: stock, reason: 'RESTOCK' },
      setupCause,
    );
  };
  /** What the saga did to a subject: the event types after the setup's. */
  const sagaEvents = (subject: string) =>
    store
      .events(subject)
      .filter((e) => e.correlationId === ORDER)
      .map((e) => e.type);
  const productEvents = (sku: string) => sagaEvents(subjectOf('StockReserved', sku));
  const decision = () => store.events(subjectOf('InventoryReserved', ORDER));
  const stockOf = async (sku: string) => {
    const { state } = await repositories.products.load(sku);
    return { available: state.available, reserved: state.reserved };
  };

  beforeEach(async () => {
    store = new MemoryEventStore();
    repositories = createRepositories(store);
    await product('A', 10);
    await product('B', 1);
  });

  it('holds every line and confirms, caused by the OrderCreated', async () => {
    const event = orderCreated([
      { sku: 'B', quantity: 1 },
      { sku: 'A', quantity: 3 },
    ]);

    await reserveForOrder(repositories, event);

    expect(decision()).toMatchObject([
      {
        type: 'InventoryReserved',
        correlationId: ORDER,
        causationId: event.id,
        data: {
          orderId: ORDER,
          lines: [
            { sku: 'A', quantity: 3 },
            { sku: 'B', quantity: 1 },
          ],
        },
      },
    ]);
    expect(await stockOf('A')).toEqual({ available: 7, reserved: 3 });
    expect(await stockOf('B')).toEqual({ available: 0, reserved: 1 });
    expect(store.events(subjectOf('StockReserved', 'A')).at(-1)).toMatchObject({
      correlationId: ORDER,
      causationId: event.id,
    });
  });

  it('holds a SKU named on two lines once, for both quantities', async () => {
    await reserveForOrder(
      repositories,
      orderCreated([
        { sku: 'A', quantity: 2 },
        { sku: 'A', quantity: 5 },
      ]),
    );

    expect(decision()[0]?.data).toEqual({ orderId: ORDER, lines: [{ sku: 'A', quantity: 7 }] });
    expect(await stockOf('A')).toEqual({ available: 3, reserved: 7 });
  });

  it('fails on a short line and gives back the lines it already held', async () => {
    await reserveForOrder(
      repositories,
      orderCreated([
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 3 },
      ]),
    );

    expect(decision()).toMatchObject([
      {
        type: 'InventoryFailed',
        data: { orderId: ORDER, reason: 'OUT_OF_STOCK', sku: 'B', requested: 2, available: 1 },
      },
    ]);
    expect(productEvents('A')).toEqual(['StockReserved', 'StockReleased']);
    expect(productEvents('B')).toEqual([]);
    expect(await stockOf('A')).toEqual({ available: 10, reserved: 0 });
  });

  it('fails on a product that does not exist', async () => {
    await reserveForOrder(
      repositories,
      orderCreated([
        { sku: 'A', quantity: 1 },
        { sku: 'NOPE', quantity: 4 },
      ]),
    );

    expect(decision()).toMatchObject([
      {
        type: 'InventoryFailed',
        data: { reason: 'UNKNOWN_PRODUCT', sku: 'NOPE', requested: 4, available: 0 },
      },
    ]);
    expect(await stockOf('A')).toEqual({ available: 10, reserved: 0 });
  });

  it('does nothing when the same OrderCreated comes again after it was decided', async () => {
    const event = orderCreated([{ sku: 'A', quantity: 3 }]);
    await reserveForOrder(repositories, event);
    const before = [productEvents('A'), decision()];

    await reserveForOrder(repositories, event);
    // Another replica, with nothing cached, sees the same.
    await reserveForOrder(createRepositories(store), event);

    expect([productEvents('A'), decision()]).toEqual(before);
  });

  it('finishes a run that stopped halfway without holding a line twice', async () => {
    const event = orderCreated([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 1 },
    ]);
    const cause = causedBy(event, new Date());
    await repositories.products.handle(
      'A',
      { type: 'ReserveStock', sku: 'A', orderId: ORDER, quantity: 3 },
      cause,
    );

    await reserveForOrder(repositories, event);

    expect(productEvents('A')).toEqual(['StockReserved']);
    expect(decision()).toMatchObject([{ type: 'InventoryReserved' }]);
    expect(await stockOf('A')).toEqual({ available: 7, reserved: 3 });
  });

  it('releases what a run that failed left held when it stopped before releasing', async () => {
    const event = orderCreated([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 2 },
    ]);
    const cause = causedBy(event, new Date());
    await repositories.products.handle(
      'A',
      { type: 'ReserveStock', sku: 'A', orderId: ORDER, quantity: 3 },
      cause,
    );
    await repositories.reservations.handle(
      ORDER,
      {
        type: 'Fail',
        orderId: ORDER,
        reason: 'OUT_OF_STOCK',
        sku: 'B',
        requested: 2,
        available: 1,
      },
      cause,
    );

    await reserveForOrder(repositories, event);

    expect(productEvents('A')).toEqual(['StockReserved', 'StockReleased']);
    expect(await stockOf('A')).toEqual({ available: 10, reserved: 0 });
  });

  it('releases everything when a concurrent run decided failed before it could confirm', async () => {
    const event = orderCreated([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 1 },
    ]);
    const replica = createRepositories(store);
    const cause = causedBy(event, new Date());
    store.raceOn(subjectOf('InventoryReserved', ORDER), async () => {
      await replica.reservations.handle(
        ORDER,
        {
          type: 'Fail',
          orderId: ORDER,
          reason: 'OUT_OF_STOCK',
          sku: 'B',
          requested: 1,
          available: 0,
        },
        cause,
      );
    });

    await reserveForOrder(repositories, event);

    expect(decision()).toMatchObject([{ type: 'InventoryFailed' }]);
    expect(productEvents('A')).toEqual(['StockReserved', 'StockReleased']);
    expect(productEvents('B')).toEqual(['StockReserved', 'StockReleased']);
  });

  it('keeps its holds when a concurrent run confirmed before its failure was recorded', async () => {
    const event = orderCreated([
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 2 },
    ]);
    const replica = createRepositories(store);
    const cause = causedBy(event, new Date());
    const lines = [
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 2 },
    ];
    store.raceOn(subjectOf('InventoryFailed', ORDER), async () => {
      await replica.reservations.handle(ORDER, { type: 'Confirm', orderId: ORDER, lines }, cause);
    });

    await reserveForOrder(repositories, event);

    expect(decision()).toMatchObject([{ type: 'InventoryReserved' }]);
    expect(productEvents('A')).toEqual(['StockReserved']);
  });
});

describe('what happens to the stock when the order ends', () => {
  let store: MemoryEventStore;
  let repositories: Repositories;
  const lines = [
    { sku: 'A', quantity: 3 },
    { sku: 'B', quantity: 1 },
  ];
  const created = orderCreated(lines);
  const placements = { placed: async () => created.data };
  const orderEvent = (type: 'OrderCancelled' | 'OrderCompleted', data: object) =>
    ({ ...created, id: randomId(), type, aggregateVersion: 5, data }) as unknown as Envelope;
  const cancelled = orderEvent('OrderCancelled', {
    orderId: ORDER,
    reason: 'TIMED_OUT',
  }) as Envelope<DomainEvent<'OrderCancelled'>>;
  const completed = orderEvent('OrderCompleted', { orderId: ORDER }) as Envelope<
    DomainEvent<'OrderCompleted'>
  >;

  const stockOf = async (sku: string) => {
    const { state } = await repositories.products.load(sku);
    return { available: state.available, reserved: state.reserved };
  };
  const reservationEvents = () =>
    store.events(subjectOf('InventoryReserved', ORDER)).map((e) => e.type);

  beforeEach(async () => {
    store = new MemoryEventStore();
    repositories = createRepositories(store);
    for (const [sku, stock] of [
      ['A', 10],
      ['B', 1],
    ] as const) {
      const price = { amount: 100, currency: 'USD' };
      await repositories.products.handle(
        sku,
        { type: 'UpsertProduct', sku, name: sku, price },
        setupCause,
      );
      await repositories.products.handle(
        sku,
        { type: 'AdjustStock', sku, quantity: stock, reason: 'RESTOCK' },
        setupCause,
      );
    }
  });

  it("releases a cancelled order's stock once, however often the cancellation arrives", async () => {
    await reserveForOrder(repositories, created);
    await releaseForOrder(repositories, placements, cancelled);
    await releaseForOrder(repositories, placements, cancelled);

    expect(reservationEvents()).toEqual(['InventoryReserved', 'InventoryReleased']);
    expect(await stockOf('A')).toEqual({ available: 10, reserved: 0 });
    expect(await stockOf('B')).toEqual({ available: 1, reserved: 0 });
  });

  it('never confirms after a cancellation: a late reserve run gives back what it took', async () => {
    await releaseForOrder(repositories, placements, cancelled);
    await reserveForOrder(repositories, created);

    expect(reservationEvents()).toEqual(['InventoryReleased']);
    expect(await stockOf('A')).toEqual({ available: 10, reserved: 0 });
  });

  it('gives back what a run in flight took when the cancellation lands before its confirm', async () => {
    store.raceOn(subjectOf('InventoryReserved', ORDER), () =>
      releaseForOrder(createRepositories(store), placements, cancelled),
    );

    await reserveForOrder(repositories, created);

    expect(reservationEvents()).toEqual(['InventoryReleased']);
    expect(await stockOf('A')).toEqual({ available: 10, reserved: 0 });
    expect(await stockOf('B')).toEqual({ available: 1, reserved: 0 });
  });

  it("ships a completed order's held stock out of the books, once", async () => {
    await reserveForOrder(repositories, created);
    await shipForOrder(repositories, placements, completed);
    await shipForOrder(repositories, placements, completed);

    expect(await stockOf('A')).toEqual({ available: 7, reserved: 0 });
    expect(await stockOf('B')).toEqual({ available: 0, reserved: 0 });
    expect(
      store.events(subjectOf('StockShipped', 'A')).filter((e) => e.type === 'StockShipped'),
    ).toHaveLength(1);
  });

  it('does nothing for an order it never saw placed', async () => {
    const unknown = { placed: async () => undefined };
    await releaseForOrder(repositories, unknown, cancelled);
    await shipForOrder(repositories, unknown, completed);
    expect(reservationEvents()).toEqual([]);
  });
});
