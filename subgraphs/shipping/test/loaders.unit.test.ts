import { createLoaders } from '../src/adapters/graphql/loaders';
import type {
  ShipmentsReadModel,
  ShipmentView,
} from '../src/adapters/read-models/shipments-read-model';

const view = (orderId: string): ShipmentView => ({
  orderId,
  status: 'DISPATCHED',
  carrier: 'simulated-carrier',
  trackingNumber: `SIM-${orderId}`,
  failureReason: null,
  dispatchedAt: '2026-01-01T00:00:00.000Z',
  deliveredAt: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('the shipment loader', () => {
  it('answers N orders with one read, in the order asked, null for orders without one', async () => {
    const findByOrderIds = jest.fn(async (orderIds: readonly string[]) =>
      orderIds.filter((id) => id !== 'unshipped').map(view),
    );
    const readModel: ShipmentsReadModel = { findByOrderIds, dispatchedBy: jest.fn() };
    const { shipment } = createLoaders(readModel);

    const found = await Promise.all(['b', 'unshipped', 'a', 'b'].map((id) => shipment.load(id)));

    expect(found).toEqual([view('b'), null, view('a'), view('b')]);
    expect(findByOrderIds).toHaveBeenCalledTimes(1);
    expect(findByOrderIds).toHaveBeenCalledWith(['b', 'unshipped', 'a']);
  });
});
