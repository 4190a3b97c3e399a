import type { Money } from '@orderflow/contracts';
import type { DocumentStore } from '@orderflow/runtime';
import type { PaymentStatus } from '../../domain/payment';

export const PAYMENTS = 'payments';

/** A payment as the read model stores it: `_id` is the order id; fields appear as events tell. */
export interface PaymentDocument {
  readonly _id: string;
  readonly status: Exclude<PaymentStatus, 'NONE'>;
  readonly amount?: Money;
  readonly method?: string;
  readonly paymentId?: string;
  readonly refundId?: string;
  /** The provider's words for a decline. */
  readonly failureReason?: string;
  /** The `occurredAt` of the last event applied. */
  readonly updatedAt: string;
}

/** A payment as the API shows it; null where a payment cancelled before any charge knows nothing. */
export interface PaymentView {
  readonly orderId: string;
  /** The provider's payment id. */
  readonly id: string | null;
  readonly status: PaymentDocument['status'];
  readonly amount: Money | null;
  readonly method: string | null;
  readonly failureReason: string | null;
  readonly refundId: string | null;
  readonly updatedAt: string;
}

export interface PaymentsReadModel {
  /** The payments of those of `orderIds` that have one, in no particular order; one query. */
  findByOrderIds(orderIds: readonly string[]): Promise<PaymentView[]>;
}

const toView = (document: PaymentDocument): PaymentView => ({
  orderId: document._id,
  id: document.paymentId ?? null,
  status: document.status,
  amount: document.amount ?? null,
  method: document.method ?? null,
  failureReason: document.failureReason ?? null,
  refundId: document.refundId ?? null,
  updatedAt: document.updatedAt,
});

export const paymentsReadModel = (documents: DocumentStore): PaymentsReadModel => {
  const payments = documents.collection<PaymentDocument>(PAYMENTS);
  return {
    findByOrderIds: async (orderIds) => (await payments.getMany(orderIds)).map(toView),
  };
};
