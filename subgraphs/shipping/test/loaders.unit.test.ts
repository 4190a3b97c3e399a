import type { Viewer } from '@orderflow/runtime';
import { ordersOwnedBy } from '@orderflow/runtime/testing';
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

const viewer = (customerId: string, admin = false): Viewer => ({ customerId, admin, token: '' });
/** Orders "a", "b", "o-1" and "o-2" were placed by alice; "c" and "o-3" by bob. */
const owners = ordersOwnedBy({
  a: 'alice',
  b: 'alice',
  'o-1': 'alice',
  'o-2': 'alice',
  c: 'bob',
  'o-3': 'bob',
});

describe('the shipment loader', () => {
  it('answers N orders with one read, in the order asked, null for orders without one', async () => {
    const findByOrderIds = jest.fn(async (orderIds: readonly string[]) =>
      orderIds.filter((id) => id !== 'unshipped').map(view),
    );
    const readModel: ShipmentsReadModel = { findByOrderIds, dispatchedBy: jest.fn() };
    const { shipment } = createLoaders(readModel, owners, viewer('ops', true));

    const found = await Promise.all(['b', 'unshipped', 'a', 'b'].map((id) => shipment.load(id)));

    expect(found).toEqual([view('b'), null, view('a'), view('b')]);
    expect(findByOrderIds).toHaveBeenCalledTimes(1);
    expect(findByOrderIds).toHaveBeenCalledWith(['b', 'unshipped', 'a']);
  });

  it("shows a customer no shipment of another customer's order, as if it had none", async () => {
    const readModel: ShipmentsReadModel = {
      findByOrderIds: async (orderIds) => orderIds.map(view),
      dispatchedBy: jest.fn(),
    };
    const { shipment } = createLoaders(readModel, owners, viewer('bob'));

    const found = await Promise.all(['a', 'c'].map((id) => shipment.load(id)));

    expect(found).toEqual([null, view('c')]);
  });
});
