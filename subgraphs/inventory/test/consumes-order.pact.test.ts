import { aggregateFilter, subjectOf } from '@orderflow/contracts';
import { deliverTo, exampleEvent, examplePlacedOrder, messagePact } from '@orderflow/pact';
import { toWire, type Viewer } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { orderEventsConsumer } from '../src/adapters/nats/order-events-consumer';
import { orderPlacementsFromLog } from '../src/adapters/nats/order-placements';
import { restock, upsertProduct } from '../src/application/product-commands';
import { createRepositories, type Repositories } from '../src/application/repositories';

const ORDER = 'ord-4711';
const SKU = 'KB-001';
const admin: Viewer = { customerId: 'ops', admin: true, token: 'unused' };
const price = { amount: 8900, currency: 'USD' };

const placed = exampleEvent(
  'OrderCreated',
  ORDER,
  examplePlacedOrder(ORDER, [{ sku: SKU, quantity: 2, unitPrice: price }]),
);

/** What inventory reads from the order's stream: the contract it holds order to. */
describe('inventory consumes the order events', () => {
  const pact = messagePact('inventory', 'order', aggregateFilter('order', 'order'));
  let repositories: Repositories;
  let store: MemoryEventStore;
  /** The order's stream, where releasing and shipping look up what the order asked for. */
  let orderLog: MemoryEventStore;
  const consumer = () => orderEventsConsumer(repositories, orderPlacementsFromLog(orderLog));
  const reservation = () => store.events(subjectOf('InventoryReserved', ORDER)).map((e) => e.type);
  const stock = async () => {
    const { state } = await repositories.products.load(SKU);
    return { available: state.available, reserved: state.reserved };
  };
  /** The order as inventory knows it before the message under test: placed, its stock held. */
  const reserved = async () => {
    await orderLog.append(placed.subject, [placed.example], 0);
    await deliverTo(consumer())(toWire(placed.subject, placed.example));
  };

  beforeEach(async () => {
    store = new MemoryEventStore();
    orderLog = new MemoryEventStore();
    repositories = createRepositories(store);
    await upsertProduct(
      repositories.products,
      admin,
      { sku: SKU, name: 'Mechanical keyboard', price },
      'setup-1',
    );
    await restock(repositories.products, admin, SKU, 10, 'setup-2');
  });
  afterAll(() => pact.checkCommitted());

  it('reserves the stock of a new order', async () => {
    await pact.expect(
      {
        given: 'an order was placed',
        description: 'OrderCreated: the lines to reserve stock for',
        ...placed,
      },
      deliverTo(consumer()),
    );
    expect(reservation()).toEqual(['InventoryReserved']);
    expect(await stock()).toEqual({ available: 8, reserved: 2 });
  });

  it('gives back the stock of a cancelled order', async () => {
    await reserved();
    await pact.expect(
      {
        given: 'an order cancelled because its payment was declined',
        description: 'OrderCancelled: the stock it holds goes back',
        ...exampleEvent('OrderCancelled', ORDER, { orderId: ORDER, reason: 'PAYMENT_DECLINED' }, 3),
      },
      deliverTo(consumer()),
    );
    expect(reservation()).toEqual(['InventoryReserved', 'InventoryReleased']);
    expect(await stock()).toEqual({ available: 10, reserved: 0 });
  });

  it('takes a delivered order’s stock off the books', async () => {
    await reserved();
    await pact.expect(
      {
        given: 'an order delivered',
        description: 'OrderCompleted: its stock has left the warehouse',
        ...exampleEvent('OrderCompleted', ORDER, { orderId: ORDER }, 5),
      },
      deliverTo(consumer()),
    );
    expect(await stock()).toEqual({ available: 8, reserved: 0 });
  });
});
