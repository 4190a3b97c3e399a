import { DomainError, subjectOf } from '@orderflow/contracts';
import { AggregateRepository, type Viewer } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { orderCommands } from '../src/application/order-commands';
import { orderQueries } from '../src/application/order-queries';
import type { OrderRecord } from '../src/application/order-record';
import type { OrderFilter, OrderReadModel } from '../src/application/ports';
import { orderDecider } from '../src/domain/order';
import { orderInput } from './support';

const viewer = (customerId: string, admin = false): Viewer => ({ customerId, admin, token: '' });
const alice = viewer('alice');
const bob = viewer('bob');
const admin = viewer('ops', true);
const NOW = new Date('2026-01-01T12:00:00.000Z');

/** The refusal a promise ends with, as code and message. */
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DomainError)) throw new Error('expected a DomainError', { cause: error });
  return { code: error.code, message: error.message };
};

describe('who may read, list and cancel which order', () => {
  let store: MemoryEventStore;
  let placed: OrderRecord[];
  /** The filters the read model was asked for, in order. */
  let listedWith: OrderFilter[];

  const application = () => {
    const repository = new AggregateRepository(store, orderDecider, {
      context: 'order',
      aggregate: 'order',
    });
    const readModel: OrderReadModel = {
      page: async (filter) => {
        listedWith.push(filter);
        return placed.filter(
          (order) => !filter.customerId || order.customerId === filter.customerId,
        );
      },
      byIds: async (ids) => placed.filter((order) => ids.includes(order.id)),
      overdue: async () => [],
    };
    const catalog = {
      pricesOf: async (skus: readonly string[]) =>
        Object.fromEntries(skus.map((sku) => [sku, { amount: 100, currency: 'USD' }])),
    };
    return {
      ...orderCommands(repository, catalog),
      ...orderQueries(repository, readModel),
    };
  };

  let orders: ReturnType<typeof application>;
  let alicesOrder: OrderRecord;

  beforeEach(async () => {
    store = new MemoryEventStore();
    listedWith = [];
    orders = application();
    alicesOrder = await orders.placeOrder(orderInput(), alice, 'request-1', NOW);
    placed = [alicesOrder, await orders.placeOrder(orderInput(), bob, 'request-2', NOW)];
  });

  it("places an order for the viewer's own customer id", () => {
    expect(placed.map((order) => order.customerId)).toEqual(['alice', 'bob']);
  });

  it.each([
    { who: 'its customer', reader: alice, visible: true },
    { who: 'an admin', reader: admin, visible: true },
    { who: 'another customer', reader: bob, visible: false },
  ])('lets $who read an order: $visible', async ({ reader, visible }) => {
    const found = await orders.getOrder(alicesOrder.id, reader);
    expect(found?.id ?? null).toBe(visible ? alicesOrder.id : null);
  });

  it("answers another customer's order exactly as a missing one: null", async () => {
    expect(await orders.getOrder(alicesOrder.id, bob)).toBeNull();
    expect(await orders.getOrder('never-placed', bob)).toBeNull();
  });

  it('resolves references only to the orders the viewer may read', async () => {
    const ids = placed.map((order) => order.id);
    expect((await orders.ordersByIds(ids, alice)).map((o) => o.customerId)).toEqual(['alice']);
    expect((await orders.ordersByIds(ids, admin)).map((o) => o.customerId)).toEqual([
      'alice',
      'bob',
    ]);
  });

  it.each([
    ['a customer, without customerId: their own', alice, undefined, 'alice'],
    ['a customer, naming themselves: their own', alice, 'alice', 'alice'],
    ['an admin, without customerId: everyone', admin, undefined, undefined],
    ['an admin, naming a customer: theirs', admin, 'bob', 'bob'],
  ])('lists for %s', async (_case, who, customerId, listed) => {
    await orders.listOrders({ first: 10, customerId }, who);
    expect(listedWith).toEqual([{ status: undefined, customerId: listed }]);
  });

  it("refuses a customer who lists another customer's orders with FORBIDDEN", async () => {
    expect(await refusal(orders.listOrders({ first: 10, customerId: 'alice' }, bob))).toEqual({
      code: 'FORBIDDEN',
      message: 'a customer lists only their own orders; leave out customerId or pass "bob"',
    });
    expect(listedWith).toEqual([]);
  });

  it.each([
    { who: 'its customer', canceller: alice },
    { who: 'an admin', canceller: admin },
  ])('lets $who cancel an order', async ({ canceller: who }) => {
    const cancelled = await orders.cancelOrder(alicesOrder.id, 'changed my mind', who, 'r', NOW);
    expect(cancelled.status).toBe('CANCELLED');
  });

  it("refuses another customer's cancellation as NOT_FOUND, word for word a missing order's, and writes nothing", async () => {
    const subject = subjectOf('OrderCreated', alicesOrder.id);
    const eventsBefore = store.events(subject).length;

    const others = await refusal(orders.cancelOrder(alicesOrder.id, null, bob, 'r', NOW));
    const missing = await refusal(orders.cancelOrder('never-placed', null, bob, 'r', NOW));

    expect(others).toEqual({ code: 'NOT_FOUND', message: `there is no order ${alicesOrder.id}` });
    expect(missing).toEqual({ code: 'NOT_FOUND', message: 'there is no order never-placed' });
    expect(store.events(subject)).toHaveLength(eventsBefore);
  });

  it('gives two customers whose id and key join to the same text two different orders', async () => {
    // "X/a" with key "b" and "X" with key "a/b": one string "X/a/b" if the parts were just joined.
    const first = await orders.placeOrder(
      orderInput({ idempotencyKey: 'b' }),
      viewer('X/a'),
      'request-3',
      NOW,
    );
    const second = await orders.placeOrder(
      orderInput({ idempotencyKey: 'a/b' }),
      viewer('X'),
      'request-4',
      NOW,
    );

    expect(second.id).not.toBe(first.id);
    expect([first.customerId, second.customerId]).toEqual(['X/a', 'X']);
  });

  it('names no order in the CONFLICT for a key reused for a different order', async () => {
    const key = { idempotencyKey: 'reused' };
    await orders.placeOrder(orderInput(key), alice, 'request-5', NOW);

    const reused = await refusal(
      orders.placeOrder(orderInput({ ...key, paymentMethod: 'pm_other' }), alice, 'r', NOW),
    );

    expect(reused).toEqual({
      code: 'CONFLICT',
      message:
        'this idempotencyKey was already used for a different order; use a new key for a new order',
    });
  });

  it.each([
    [
      'an idempotency key with a NUL',
      () => orders.placeOrder(orderInput({ idempotencyKey: 'k\u0000' }), alice, 'r', NOW),
      'idempotencyKey: must be plain text',
    ],
    [
      'a cancellation reason with a line break',
      () => orders.cancelOrder(alicesOrder.id, 'no\nX: y', alice, 'r', NOW),
      'reason must be plain text',
    ],
  ])('refuses %s as BAD_USER_INPUT', async (_case, attempt, message) => {
    const { code, message: said } = await refusal(attempt());
    expect(code).toBe('BAD_USER_INPUT');
    expect(said).toContain(message);
  });
});
