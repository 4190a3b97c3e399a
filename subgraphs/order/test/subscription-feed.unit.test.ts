import { AggregateRepository } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { followOrders } from '../src/adapters/nats/order-feed';
import { orderCommands } from '../src/application/order-commands';
import { watchOrderStatus } from '../src/application/order-subscriptions';
import type { StatusChange } from '../src/domain/history';
import { orderDecider } from '../src/domain/order';
import { orderInput } from './support';

const admin = { customerId: 'ops', admin: true, token: 'unused' };
const alice = { customerId: 'alice', admin: false, token: 'unused' };
const bob = { customerId: 'bob', admin: false, token: 'unused' };

/** The feed of every order, over the in-memory log, counting what it reads of each order. */
const world = () => {
  const store = new MemoryEventStore();
  let reads = 0;
  const read = store.read.bind(store);
  store.read = async (...args) => {
    reads += 1;
    return read(...args);
  };
  const repository = new AggregateRepository(store, orderDecider, {
    context: 'order',
    aggregate: 'order',
  });
  const commands = orderCommands(repository, {
    pricesOf: async (skus) =>
      Object.fromEntries(skus.map((sku) => [sku, { amount: 1_000, currency: 'USD' }])),
  });
  const watch = watchOrderStatus(repository, followOrders(store, repository));
  return {
    reads: () => reads,
    watch,
    place: async (customer: typeof alice, key: string) =>
      commands.placeOrder(orderInput({ idempotencyKey: key }), customer, key, new Date()),
    cancel: async (customer: typeof alice, id: string) =>
      commands.cancelOrder(id, 'changed my mind', customer, `cancel-${id}`, new Date()),
  };
};

describe('the feed of every order', () => {
  it('tells an admin every change without reading each order again', async () => {
    const shop = world();
    const feed = await shop.watch({}, admin);
    const first = await shop.place(alice, 'a');
    await shop.cancel(alice, first.id);
    const second = await shop.place(bob, 'b');
    const before = shop.reads();

    const changes: StatusChange[] = [];
    for (let i = 0; i < 3; i++) changes.push((await feed.next()).value as StatusChange);
    await feed.return?.();

    expect(shop.reads()).toBe(before);
    expect(changes.map((change) => [change.orderId, change.previousStatus, change.status])).toEqual(
      [
        [first.id, null, 'CREATED'],
        [first.id, 'CREATED', 'CANCELLED'],
        [second.id, null, 'CREATED'],
      ],
    );
  });

  it('tells a customer only their own orders, learning whose a new one is without reading it', async () => {
    const shop = world();
    const feed = await shop.watch({}, alice);
    const mine = await shop.place(alice, 'a');
    const theirs = await shop.place(bob, 'b');
    await shop.cancel(bob, theirs.id);
    await shop.cancel(alice, mine.id);
    const before = shop.reads();

    const changes: StatusChange[] = [];
    for (let i = 0; i < 2; i++) changes.push((await feed.next()).value as StatusChange);
    await feed.return?.();

    expect(changes.map((change) => [change.orderId, change.status])).toEqual([
      [mine.id, 'CREATED'],
      [mine.id, 'CANCELLED'],
    ]);
    // Each order's owner came with its OrderCreated.
    expect(shop.reads()).toBe(before);
  });
});
