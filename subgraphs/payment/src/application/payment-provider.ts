import type { Money } from '@orderflow/contracts';
import type { CaptureOutcome } from '../domain/payment';

export interface CaptureRequest {
  /** The same key always gets the same answer, so a retry never charges twice. */
  readonly idempotencyKey: string;
  readonly amount: Money;
  readonly method: string;
}

export interface RefundRequest {
  readonly idempotencyKey: string;
  readonly paymentId: string;
  readonly amount: Money;
}

/**
 * The payment provider, outside the log. A decline is an answer; a transient failure (timeout,
 * outage) is thrown, so the consumer retries the whole reaction with backoff.
 */
export interface PaymentProvider {
  capture(request: CaptureRequest): Promise<CaptureOutcome>;
  refund(request: RefundRequest): Promise<{ readonly refundId: string }>;
}
