import { ConfigError } from '@orderflow/runtime';
import { simulatedPaymentProvider, simulatorSettings } from '../src/adapters/provider/simulator';

const amount = { amount: 4200, currency: 'USD' };
const instant = { latencyMs: 0, failureRate: 0 };
const capture = (method: string, idempotencyKey = 'capture/o-1', settings = instant) =>
  simulatedPaymentProvider(settings).capture({ idempotencyKey, amount, method });

describe('the payment simulator', () => {
  it('captures pm_card_visa with an id that only the idempotency key decides', async () => {
    const first = await capture('pm_card_visa');
    // A new instance is what a restart looks like: the same key still gets the same answer.
    const again = await capture('pm_card_visa');
    const other = await capture('pm_card_visa', 'capture/o-2');

    expect(first.kind === 'captured' && first.paymentId).toMatch(/^pay_/);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('declines pm_card_chargeDeclined', async () => {
    expect(await capture('pm_card_chargeDeclined')).toEqual({
      kind: 'declined',
      detail: 'your card was declined',
    });
  });

  it('declines any other method, naming the methods it accepts', async () => {
    const outcome = await capture('pm_card_amex');

    expect(outcome).toMatchObject({ kind: 'declined' });
    expect(outcome.kind === 'declined' && outcome.detail).toMatch(
      /"pm_card_amex".*pm_card_visa.*pm_card_chargeDeclined/,
    );
  });

  it('refunds with an id that only the idempotency key decides', async () => {
    const refund = (idempotencyKey: string) =>
      simulatedPaymentProvider(instant).refund({ idempotencyKey, paymentId: 'pay_1', amount });

    const first = await refund('refund/o-1');

    expect(first.refundId).toMatch(/^re_/);
    expect(await refund('refund/o-1')).toEqual(first);
    expect(await refund('refund/o-2')).not.toEqual(first);
  });

  it('fails a call as an outage with the configured probability', async () => {
    const provider = (draw: number) =>
      simulatedPaymentProvider({ latencyMs: 0, failureRate: 0.25 }, () => draw);
    const request = { idempotencyKey: 'k', amount, method: 'pm_card_visa' };

    await expect(provider(0.1).capture(request)).rejects.toThrow(/simulated outage/);
    await expect(
      provider(0.1).refund({ idempotencyKey: 'k', paymentId: 'p', amount }),
    ).rejects.toThrow(/simulated outage/);
    await expect(provider(0.25).capture(request)).resolves.toMatchObject({ kind: 'captured' });
  });

  describe('latency', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('answers after the configured latency', async () => {
      let answered = false;
      const call = capture('pm_card_visa', 'k', { latencyMs: 20, failureRate: 0 }).then(() => {
        answered = true;
      });

      await jest.advanceTimersByTimeAsync(19);
      expect(answered).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await call;
      expect(answered).toBe(true);
    });
  });
});

describe('the simulator settings', () => {
  it('default to 20 ms and no failures', () => {
    expect(simulatorSettings({})).toEqual({ latencyMs: 20, failureRate: 0 });
  });

  it('are read from the environment', () => {
    expect(
      simulatorSettings({
        PAYMENT_SIMULATOR_LATENCY_MS: '0',
        PAYMENT_SIMULATOR_FAILURE_RATE: '0.5',
      }),
    ).toEqual({ latencyMs: 0, failureRate: 0.5 });
  });

  it('name every setting out of range', () => {
    const read = () =>
      simulatorSettings({
        PAYMENT_SIMULATOR_LATENCY_MS: '60001',
        PAYMENT_SIMULATOR_FAILURE_RATE: '1.5',
      });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/PAYMENT_SIMULATOR_LATENCY_MS[\s\S]*PAYMENT_SIMULATOR_FAILURE_RATE/);
  });
});
