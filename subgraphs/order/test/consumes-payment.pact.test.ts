import { aggregateFilter } from '@orderflow/contracts';
import { exampleEvent, messagePact } from '@orderflow/pact';
import { orderWorld } from './pact-states';

const amount = { amount: 3000, currency: 'USD' };

/** What the order reads from payment's stream: whether its charge went through. */
describe('order consumes the payment events', () => {
  const pact = messagePact('order', 'payment', aggregateFilter('payment', 'payment'));
  afterAll(() => pact.checkCommitted());

  it('goes on to shipping once it is paid', async () => {
    const world = orderWorld();
    await world.steps.reserved();
    const { orderId } = world;
    await pact.expect(
      {
        given: 'a payment was captured',
        description: 'PaymentCaptured: the order is paid, and by which payment',
        ...exampleEvent('PaymentCaptured', orderId, {
          orderId,
          paymentId: 'pay_3f2a9c1e',
          amount,
          method: 'pm_card_visa',
        }),
      },
      world.receiveOn('order-payment'),
    );
    expect(world.history().at(-1)).toMatchObject({
      type: 'OrderPaymentCaptured',
      data: { paymentId: 'pay_3f2a9c1e' },
    });
  });

  it('is cancelled, saying why, when the charge fails', async () => {
    const world = orderWorld();
    await world.steps.reserved();
    const { orderId } = world;
    await pact.expect(
      {
        given: 'a payment declined by the card issuer',
        description: 'PaymentFailed: why the order could not be charged',
        ...exampleEvent('PaymentFailed', orderId, {
          orderId,
          amount,
          method: 'pm_card_chargeDeclined',
          reason: 'DECLINED',
          detail: 'your card was declined',
        }),
      },
      world.receiveOn('order-payment'),
    );
    expect(world.history().at(-1)).toMatchObject({
      type: 'OrderCancelled',
      data: { reason: 'PAYMENT_DECLINED', detail: 'your card was declined' },
    });
  });
});
