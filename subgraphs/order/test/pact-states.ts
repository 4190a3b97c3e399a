import { aggregateSubject } from '@orderflow/contracts';
import { deliverTo } from '@orderflow/pact';
import type { WireMessage } from '@orderflow/runtime';
import { AggregateRepository } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { sagaConsumers } from '../src/adapters/nats/saga-consumers';
import { orderCommands } from '../src/application/order-commands';
import { reactToSaga } from '../src/application/saga-reactions';
import { orderDecider } from '../src/domain/order';
import { foreignEvent, orderInput } from './support';

const customer = { customerId: 'customer-1', admin: false, token: 'unused' };
const now = () => new Date();

/**
 * A fresh order service (its real decider, repository, commands and saga reactions over an
 * in-memory log) and the order's way through the saga so far, step by step. The order is placed
 * under a fixed idempotency key, so its id is the same in every world: order's own consumer pacts
 * name it in their examples, and a pact file must come out the same on every run.
 */
export const orderWorld = () => {
  const store = new MemoryEventStore();
  const repository = new AggregateRepository(store, orderDecider, {
    context: 'order',
    aggregate: 'order',
  });
  const prices = { amount: 1_000, currency: 'USD' };
  const commands = orderCommands(repository, {
    pricesOf: async (skus) => Object.fromEntries(skus.map((sku) => [sku, prices])),
  });
  const react = reactToSaga(repository);
  let orderId = '';
  const steps = {
    placed: async () => {
      const input = orderInput({ idempotencyKey: 'pact-order' });
      orderId = (await commands.placeOrder(input, customer, 'request-1', now())).id;
    },
    reserved: async () => {
      await steps.placed();
      await react(
        foreignEvent('InventoryReserved', orderId, {
          orderId,
          lines: [{ sku: 'KB-001', quantity: 2 }],
        }),
      );
    },
    captured: async () => {
      await steps.reserved();
      await react(
        foreignEvent('PaymentCaptured', orderId, {
          orderId,
          paymentId: 'pay_1',
          amount: { amount: 3_000, currency: 'USD' },
          method: 'pm_card_visa',
        }),
      );
    },
    shipped: async () => {
      await steps.captured();
      await react(
        foreignEvent('ShipmentDispatched', orderId, {
          orderId,
          carrier: 'simulated',
          trackingNumber: 'TRK-1',
        }),
      );
    },
    completed: async () => {
      await steps.shipped();
      await react(foreignEvent('ShipmentDelivered', orderId, { orderId, trackingNumber: 'TRK-1' }));
    },
    cancelledAfterPayment: async () => {
      await steps.captured();
      await commands.cancelOrder(orderId, 'changed my mind', customer, 'request-2', now());
    },
    paymentDeclined: async () => {
      await steps.reserved();
      await react(
        foreignEvent('PaymentFailed', orderId, {
          orderId,
          amount: { amount: 3_000, currency: 'USD' },
          method: 'pm_card_chargeDeclined',
          reason: 'DECLINED',
          detail: 'your card was declined',
        }),
      );
    },
    outOfStock: async () => {
      await steps.placed();
      await react(
        foreignEvent('InventoryFailed', orderId, {
          orderId,
          reason: 'OUT_OF_STOCK',
          sku: 'KB-001',
          requested: 2,
          available: 0,
        }),
      );
    },
  };
  return {
    store,
    steps,
    get orderId() {
      return orderId;
    },
    /** The order's events so far, in order. */
    history: () => store.events(aggregateSubject('order', 'order', orderId)),
    /** Receives a message as one of the order's durables does, into this world. */
    receiveOn: (durable: string) => {
      const consumer = sagaConsumers(react).find((candidate) => candidate.durable === durable);
      if (!consumer) throw new Error(`the order service has no durable ${durable}`);
      return deliverTo(consumer);
    },
  };
};

type Step = keyof ReturnType<typeof orderWorld>['steps'];

const after = (step: Step) => async (): Promise<readonly WireMessage[]> => {
  const world = orderWorld();
  await world.steps[step]();
  return world.store.messages();
};

/** The situations consumers' pacts name, as the order service gets into them. */
export const orderStates = {
  'an order was placed': after('placed'),
  'an order whose stock is reserved': after('reserved'),
  'an order whose payment is captured': after('captured'),
  'an order handed to the carrier': after('shipped'),
  'an order delivered': after('completed'),
  'an order cancelled by its customer after payment': after('cancelledAfterPayment'),
  'an order cancelled for lack of stock': after('outOfStock'),
  'an order cancelled because its payment was declined': after('paymentDeclined'),
};
