import type { Viewer } from '@orderflow/runtime';
import { ordersOwnedBy } from '@orderflow/runtime/testing';
import { createLoaders } from '../src/adapters/graphql/loaders';
import type {
  PaymentsReadModel,
  PaymentView,
} from '../src/adapters/read-models/payments-read-model';

const view = (orderId: string): PaymentView => ({
  orderId,
  id: `pay_${orderId}`,
  status: 'CAPTURED',
  amount: { amount: 100, currency: 'USD' },
  method: 'pm_card_visa',
  failureReason: null,
  refundId: null,
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

describe('the payment loader', () => {
  it('answers N orders with one read, in the order asked, null where payment has not acted', async () => {
    const findByOrderIds = jest.fn(async (orderIds: readonly string[]) =>
      orderIds.filter((id) => id !== 'o-new').map(view),
    );
    const { paymentByOrderId } = createLoaders(
      { findByOrderIds } satisfies PaymentsReadModel,
      owners,
      viewer('ops', true),
    );

    const found = await Promise.all(
      ['o-2', 'o-new', 'o-1', 'o-2'].map((id) => paymentByOrderId.load(id)),
    );

    expect(found).toEqual([view('o-2'), null, view('o-1'), view('o-2')]);
    expect(findByOrderIds).toHaveBeenCalledTimes(1);
    expect(findByOrderIds).toHaveBeenCalledWith(['o-2', 'o-new', 'o-1']);
  });

  it("shows a customer no payment of another customer's order, as if it had none", async () => {
    const findByOrderIds = async (orderIds: readonly string[]) => orderIds.map(view);
    const { paymentByOrderId } = createLoaders({ findByOrderIds }, owners, viewer('alice'));

    const found = await Promise.all(
      ['o-1', 'o-3', 'o-unknown'].map((id) => paymentByOrderId.load(id)),
    );

    expect(found).toEqual([view('o-1'), null, null]);
  });
});
