import { aggregateFilter } from '@orderflow/contracts';
import { exampleEvent, messagePact } from '@orderflow/pact';
import { orderWorld } from './pact-states';

const TRACKING = 'SIM000482913577';

/** What the order reads from shipping's stream: where its parcel is. */
describe('order consumes the shipping events', () => {
  const pact = messagePact('order', 'shipping', aggregateFilter('shipping', 'shipment'));
  afterAll(() => pact.checkCommitted());

  it('is shipped, with its tracking number, once the carrier has the parcel', async () => {
    const world = orderWorld();
    await world.steps.captured();
    const { orderId } = world;
    await pact.expect(
      {
        given: 'a parcel handed to the carrier',
        description: 'ShipmentDispatched: the parcel’s tracking number',
        ...exampleEvent('ShipmentDispatched', orderId, {
          orderId,
          carrier: 'simulated-carrier',
          trackingNumber: TRACKING,
        }),
      },
      world.receiveOn('order-shipping'),
    );
    expect(world.history().at(-1)).toMatchObject({
      type: 'OrderShipped',
      data: { trackingNumber: TRACKING },
    });
  });

  it('is completed once the parcel arrives', async () => {
    const world = orderWorld();
    await world.steps.shipped();
    const { orderId } = world;
    await pact.expect(
      {
        given: 'a parcel delivered',
        description: 'ShipmentDelivered: the order has arrived',
        ...exampleEvent('ShipmentDelivered', orderId, { orderId, trackingNumber: TRACKING }, 2),
      },
      world.receiveOn('order-shipping'),
    );
    expect(world.history().at(-1)?.type).toBe('OrderCompleted');
  });

  it('is cancelled, saying why, when the carrier refuses the parcel', async () => {
    const world = orderWorld();
    await world.steps.captured();
    const { orderId } = world;
    const detail = 'the carrier does not serve postal code 00000';
    await pact.expect(
      {
        given: 'a parcel the carrier refused',
        description: 'ShipmentFailed: why the parcel will not arrive',
        ...exampleEvent('ShipmentFailed', orderId, {
          orderId,
          reason: 'CARRIER_REJECTED',
          detail,
        }),
      },
      world.receiveOn('order-shipping'),
    );
    expect(world.history().at(-1)).toMatchObject({
      type: 'OrderCancelled',
      data: { reason: 'SHIPMENT_FAILED', detail },
    });
  });
});
