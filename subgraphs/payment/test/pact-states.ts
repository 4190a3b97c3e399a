import { deliverTo, exampleEvent } from '@orderflow/pact';
import { toWire, type WireMessage } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { orderEventsConsumer } from '../src/adapters/nats/order-events-consumer';
import { simulatedPaymentProvider } from '../src/adapters/provider/simulator';
import { orderReactions } from '../src/application/order-reactions';
import { createPaymentRepository } from '../src/application/payment-repository';

const ORDER = 'ord-4711';

/**
 * A fresh payment service (its real decider, repository, saga consumer and simulated provider over
 * an in-memory log), to which the order's events are delivered as the order publishes them.
 */
const paymentWorld = () => {
  const store = new MemoryEventStore();
  const receive = deliverTo(
    orderEventsConsumer(
      orderReactions(
        createPaymentRepository(store),
        simulatedPaymentProvider({ latencyMs: 0, failureRate: 0 }),
      ),
    ),
  );
  return {
    store,
    /** The order's stock is reserved: charge it, paying with `paymentMethod`. */
    reserved: async (paymentMethod: string) => {
      const { subject, example } = exampleEvent('OrderInventoryReserved', ORDER, {
        orderId: ORDER,
        amount: { amount: 4200, currency: 'USD' },
        paymentMethod,
      });
      await receive(toWire(subject, example));
    },
    cancelled: async () => {
      const { subject, example } = exampleEvent(
        'OrderCancelled',
        ORDER,
        { orderId: ORDER, reason: 'CUSTOMER_CANCELLED' },
        4,
      );
      await receive(toWire(subject, example));
    },
  };
};

const after =
  (...steps: ((world: ReturnType<typeof paymentWorld>) => Promise<void>)[]) =>
  async (): Promise<readonly WireMessage[]> => {
    const world = paymentWorld();
    for (const step of steps) await step(world);
    return world.store.messages();
  };

/** The situations consumers' pacts name, as the payment service gets into them. */
export const paymentStates = {
  'a payment was captured': after((world) => world.reserved('pm_card_visa')),
  'a payment declined by the card issuer': after((world) =>
    world.reserved('pm_card_chargeDeclined'),
  ),
  'a captured payment was refunded': after(
    (world) => world.reserved('pm_card_visa'),
    (world) => world.cancelled(),
  ),
  'an order cancelled before its payment was charged': after((world) => world.cancelled()),
};
