import { deliverTo, exampleAddress, exampleEvent } from '@orderflow/pact';
import { AggregateRepository, toWire, type WireMessage } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { simulatedCarrier } from '../src/adapters/carrier/simulator';
import { orderEventsConsumer } from '../src/adapters/nats/order-events-consumer';
import { shipmentDeliveries } from '../src/application/deliveries';
import { orderReactions } from '../src/application/order-reactions';
import { shipmentDecider } from '../src/domain/shipment';

const ORDER = 'ord-4711';

/**
 * A fresh shipping service (its real decider, repository, saga consumer, deliveries and simulated
 * carrier over an in-memory log) given a paid order bound for `postalCode`; the simulator refuses
 * postal code 00000 at dispatch.
 */
const shippingWorld = async (postalCode: string, paid = true) => {
  const store = new MemoryEventStore();
  const shipments = new AggregateRepository(store, shipmentDecider, {
    context: 'shipping',
    aggregate: 'shipment',
  });
  const carrier = simulatedCarrier({ failureRate: 0 });
  const address = { ...exampleAddress, postalCode };
  const payment = exampleEvent(
    'OrderPaymentCaptured',
    ORDER,
    {
      orderId: ORDER,
      paymentId: 'pay_3f2a9c1e',
      lines: [{ sku: 'KB-001', quantity: 2 }],
      shippingAddress: address,
    },
    3,
  );
  const receive = deliverTo(orderEventsConsumer(orderReactions(shipments, carrier)));
  if (paid) await receive(toWire(payment.subject, payment.example));
  // The addresses read model's answer, which the projection of this same event would give.
  const deliveries = shipmentDeliveries(shipments, carrier, { addressOf: async () => address });
  const cancelled = exampleEvent(
    'OrderCancelled',
    ORDER,
    { orderId: ORDER, reason: 'CUSTOMER_CANCELLED' },
    2,
  );
  return { store, deliveries, cancel: () => receive(toWire(cancelled.subject, cancelled.example)) };
};

/** The situations consumers' pacts name, as the shipping service gets into them. */
export const shippingStates = {
  'a parcel handed to the carrier': async (): Promise<readonly WireMessage[]> =>
    (await shippingWorld('N1 9GU')).store.messages(),
  'a parcel delivered': async (): Promise<readonly WireMessage[]> => {
    const world = await shippingWorld('N1 9GU');
    await world.deliveries.deliverDue(ORDER, new Date());
    return world.store.messages();
  },
  'a parcel the carrier refused': async (): Promise<readonly WireMessage[]> =>
    (await shippingWorld('00000')).store.messages(),
  'a shipment was cancelled with its order': async (): Promise<readonly WireMessage[]> => {
    const world = await shippingWorld('N1 9GU', false);
    await world.cancel();
    return world.store.messages();
  },
};
