import { scenario } from '@orderflow/runtime/testing';
import { paymentDecider, type PaymentCommand, type PaymentEvent } from '../src/domain/payment';

const ORDER = 'o-1';
const amount = { amount: 4200, currency: 'USD' };
const method = 'pm_card_visa';

const capture: PaymentCommand = {
  type: 'RecordCapture',
  orderId: ORDER,
  amount,
  method,
  outcome: { kind: 'captured', paymentId: 'pay_1' },
};
const decline: PaymentCommand = {
  type: 'RecordCapture',
  orderId: ORDER,
  amount,
  method,
  outcome: { kind: 'declined', detail: 'your card was declined' },
};
const cancel: PaymentCommand = { type: 'Cancel', orderId: ORDER };
const refund: PaymentCommand = { type: 'RecordRefund', orderId: ORDER, refundId: 're_1' };

const captured: PaymentEvent = {
  type: 'PaymentCaptured',
  data: { orderId: ORDER, paymentId: 'pay_1', amount, method },
};
const failed: PaymentEvent = {
  type: 'PaymentFailed',
  data: { orderId: ORDER, amount, method, reason: 'DECLINED', detail: 'your card was declined' },
};
const cancelled: PaymentEvent = { type: 'PaymentCancelled', data: { orderId: ORDER } };
const refunded: PaymentEvent = {
  type: 'PaymentRefunded',
  data: { orderId: ORDER, paymentId: 'pay_1', amount, refundId: 're_1' },
};

const given = scenario(paymentDecider);

describe('a payment not yet acted on', () => {
  it('records a capture with the provider payment id', () => {
    expect(given().when(capture)).toEqual([captured]);
    expect(given(captured).state()).toEqual({
      status: 'CAPTURED',
      amount,
      method,
      paymentId: 'pay_1',
    });
  });

  it('records a decline as a failure in the provider words', () => {
    expect(given().when(decline)).toEqual([failed]);
    expect(given(failed).state()).toEqual({
      status: 'FAILED',
      amount,
      method,
      detail: 'your card was declined',
    });
  });

  it('is cancelled, so that a late capture never happens', () => {
    expect(given().when(cancel)).toEqual([cancelled]);
    expect(given(cancelled).state()).toEqual({ status: 'CANCELLED' });
  });

  it('has nothing to refund', () => {
    expect(given().when(refund)).toEqual([]);
  });
});

describe('a captured payment', () => {
  it('records the refund of what it captured', () => {
    expect(given(captured).when(refund)).toEqual([refunded]);
    expect(given(captured, refunded).state()).toEqual({
      status: 'REFUNDED',
      amount,
      paymentId: 'pay_1',
      refundId: 're_1',
    });
  });

  it.each([
    ['a second capture', capture],
    ['a decline', decline],
    ['a cancel (the refund compensates instead)', cancel],
  ])('records nothing on %s', (_, command) => {
    expect(given(captured).when(command)).toEqual([]);
  });
});

describe.each([
  ['failed', [failed]],
  ['cancelled', [cancelled]],
  ['refunded', [captured, refunded]],
])('a %s payment', (_, history) => {
  it.each([
    ['RecordCapture (captured)', capture],
    ['RecordCapture (declined)', decline],
    ['Cancel', cancel],
    ['RecordRefund', refund],
  ])('records nothing on %s', (_command, command) => {
    expect(given(...history).when(command)).toEqual([]);
  });
});
