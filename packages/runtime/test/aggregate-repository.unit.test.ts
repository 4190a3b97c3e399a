import type { Decider, DomainEvent } from '@orderflow/contracts';
import { AggregateRepository, requestCause } from '../src/aggregate-repository';
import { MemoryEventStore } from '../src/testing/memory-event-store';

/** Stock on a shelf: enough of a decider to show how the repository uses its cache. */
type Command = { type: 'Add' } | { type: 'AddIfStocked' } | { type: 'Take' };
type Event = DomainEvent<'StockAdjusted'>;
type State = { readonly units: number };

const SKU = 'KB-001';
const adjusted = (delta: number): Event => ({
  type: 'StockAdjusted',
  data: { sku: SKU, delta, reason: 'RECOUNT' },
});

const shelf: Decider<Command, State, Event> = {
  initialState: () => ({ units: 0 }),
  evolve: (state, event) => ({ units: state.units + event.data.delta }),
  decide: (command, state) => {
    switch (command.type) {
      case 'Add':
        return [adjusted(1)];
      case 'AddIfStocked':
        return state.units > 0 ? [adjusted(1)] : [];
      case 'Take':
        if (state.units === 0) throw new Error('the shelf is empty');
        return [adjusted(-1)];
    }
  },
};

describe('AggregateRepository and its cache', () => {
  let store: MemoryEventStore;
  let reads: number;
  const repository = () =>
    new AggregateRepository(store, shelf, { context: 'inventory', aggregate: 'product' });
  let requests = 0;
  /** Each command its own request: the same cause deciding the same thing is one event. */
  const cause = () => requestCause(`request-${++requests}`, SKU, new Date('2026-01-01T00:00:00Z'));
  const units = async () => (await repository().load(SKU)).state.units;

  beforeEach(() => {
    store = new MemoryEventStore();
    reads = 0;
    const read = store.read.bind(store);
    store.read = async (...args) => {
      reads += 1;
      return read(...args);
    };
  });

  it('appends from a cached fold without reading the log again', async () => {
    const shop = repository();
    await shop.handle(SKU, { type: 'Add' }, cause());
    const before = reads;
    await shop.handle(SKU, { type: 'Add' }, cause());
    expect(reads).toBe(before);
    expect(await units()).toBe(2);
  });

  it('decides again from the log when a stale cached fold’s append is refused', async () => {
    const shop = repository();
    await shop.handle(SKU, { type: 'Add' }, cause());
    await repository().handle(SKU, { type: 'Add' }, cause()); // another replica
    const handled = await shop.handle(SKU, { type: 'Add' }, cause());
    expect(handled.state.units).toBe(3);
    expect(await units()).toBe(3);
  });

  it('reads the log before deciding nothing from a cached fold', async () => {
    const shop = repository();
    await shop.load(SKU); // cached: an empty shelf
    await repository().handle(SKU, { type: 'Add' }, cause());
    const handled = await shop.handle(SKU, { type: 'AddIfStocked' }, cause());
    expect(handled.appended).toHaveLength(1);
    expect(await units()).toBe(2);
  });

  it('reads the log before refusing from a cached fold', async () => {
    const shop = repository();
    await shop.load(SKU);
    await repository().handle(SKU, { type: 'Add' }, cause());
    await expect(shop.handle(SKU, { type: 'Take' }, cause())).resolves.toMatchObject({
      state: { units: 0 },
    });
    await expect(shop.handle(SKU, { type: 'Take' }, cause())).rejects.toThrow('the shelf is empty');
  });

  it('decides for an aggregate it has not seen as for a new one, without reading the log', async () => {
    const handled = await repository().handle(SKU, { type: 'Add' }, cause());

    expect(reads).toBe(0);
    expect(handled.state.units).toBe(1);
    expect(await units()).toBe(1);
  });

  it('decides again from the log when an aggregate it has not seen already has events', async () => {
    await repository().handle(SKU, { type: 'Add' }, cause());
    await repository().handle(SKU, { type: 'Add' }, cause());

    const handled = await repository().handle(SKU, { type: 'Add' }, cause());

    expect(handled.state.units).toBe(3);
    expect(await units()).toBe(3);
  });

  it('does not take an event already stored for appended, in a process that has not seen the aggregate', async () => {
    const redelivered = cause();
    const shop = repository();
    await shop.handle(SKU, { type: 'Add' }, redelivered);
    await shop.handle(SKU, { type: 'Add' }, cause());

    // Another replica (or this one after a restart) gets the first cause again: taking the shelf
    // for new, it decides the very event stored first, which the store must not call appended.
    const handled = await repository().handle(SKU, { type: 'Add' }, redelivered);

    expect(handled.state.units).toBe(3);
    expect(handled.appended.map((event) => event.aggregateVersion)).toEqual([3]);
    expect(await units()).toBe(3);
  });
});
