import { deliverTo, exampleEvent, examplePlacedOrder } from '@orderflow/pact';
import { toWire, type Viewer, type WireMessage } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { orderEventsConsumer } from '../src/adapters/nats/order-events-consumer';
import { orderPlacementsFromLog } from '../src/adapters/nats/order-placements';
import { restock, upsertProduct } from '../src/application/product-commands';
import { createRepositories } from '../src/application/repositories';

const admin: Viewer = { customerId: 'ops', admin: true, token: 'unused' };
const SKU = 'KB-001';
const price = { amount: 8900, currency: 'USD' };

/** An order for two keyboards, as the order service publishes it. */
const orderForTwo = exampleEvent(
  'OrderCreated',
  'ord-4711',
  examplePlacedOrder('ord-4711', [{ sku: SKU, quantity: 2, unitPrice: price }]),
);

/**
 * A fresh inventory service (its real deciders, repositories, product commands and saga consumer
 * over in-memory logs) with keyboards in the catalog, `inStock` of them on the shelf.
 */
const inventoryWorld = async (inStock: number) => {
  const store = new MemoryEventStore();
  const orderLog = new MemoryEventStore();
  const repositories = createRepositories(store);
  await upsertProduct(
    repositories.products,
    admin,
    { sku: SKU, name: 'Mechanical keyboard', price },
    'request-1',
  );
  if (inStock > 0) await restock(repositories.products, admin, SKU, inStock, 'request-2');
  const consumer = orderEventsConsumer(repositories, orderPlacementsFromLog(orderLog));
  return {
    store,
    place: async () => {
      await orderLog.append(orderForTwo.subject, [orderForTwo.example], 0);
      await deliverTo(consumer)(toWire(orderForTwo.subject, orderForTwo.example));
    },
    cancel: async () => {
      const { subject, example } = exampleEvent(
        'OrderCancelled',
        'ord-4711',
        { orderId: 'ord-4711', reason: 'CUSTOMER_CANCELLED' },
        2,
      );
      await deliverTo(consumer)(toWire(subject, example));
    },
  };
};

const reservationWith = (inStock: number) => async (): Promise<readonly WireMessage[]> => {
  const world = await inventoryWorld(inStock);
  await world.place();
  return world.store.messages();
};

/** The situations consumers' pacts name, as the inventory service gets into them. */
export const inventoryStates = {
  'a product in the catalog': async () => (await inventoryWorld(10)).store.messages(),
  'a reservation that found enough stock': reservationWith(10),
  'a reservation that found too little stock': reservationWith(1),
  'stock reserved for an order was released when it was cancelled': async () => {
    const world = await inventoryWorld(10);
    await world.place();
    await world.cancel();
    return world.store.messages();
  },
};
