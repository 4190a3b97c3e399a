import { deterministicId, loadConfig } from '@orderflow/runtime';
import { z } from 'zod';
import type { PaymentProvider } from '../../application/payment-provider';

const SimulatorConfig = z.object({
  PAYMENT_SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(20),
  /** The chance that a call fails as an outage would: thrown, for the consumer to retry. */
  PAYMENT_SIMULATOR_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
});

export interface SimulatorSettings {
  readonly latencyMs: number;
  readonly failureRate: number;
}

export const simulatorSettings = (env: Readonly<Record<string, unknown>>): SimulatorSettings => {
  const config = loadConfig(SimulatorConfig, env);
  return {
    latencyMs: config.PAYMENT_SIMULATOR_LATENCY_MS,
    failureRate: config.PAYMENT_SIMULATOR_FAILURE_RATE,
  };
};

const ACCEPTED = 'pm_card_visa (captures) and pm_card_chargeDeclined (declines)';

/**
 * The default provider: test payment methods in the style of Stripe's. Its ids are derived from
 * the idempotency key, so the same key gets the same answer even after a restart, as a real
 * provider's idempotency keys promise.
 */
export const simulatedPaymentProvider = (
  { latencyMs, failureRate }: SimulatorSettings,
  random: () => number = Math.random,
): PaymentProvider => {
  const roundTrip = async () => {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (random() < failureRate) {
      throw new Error('payment simulator: simulated outage (PAYMENT_SIMULATOR_FAILURE_RATE)');
    }
  };
  return {
    capture: async ({ idempotencyKey, method }) => {
      await roundTrip();
      switch (method) {
        case 'pm_card_visa':
          return { kind: 'captured', paymentId: `pay_${deterministicId(idempotencyKey)}` };
        case 'pm_card_chargeDeclined':
          return { kind: 'declined', detail: 'your card was declined' };
        default:
          return {
            kind: 'declined',
            detail: `unknown payment method "${method}"; the simulator accepts ${ACCEPTED}`,
          };
      }
    },
    refund: async ({ idempotencyKey }) => {
      await roundTrip();
      return { refundId: `re_${deterministicId(idempotencyKey)}` };
    },
  };
};
