import { aggregateFilter, catalog, streams, type Envelope } from '@orderflow/contracts';
import type { DocumentChange, ProjectionSpec } from '@orderflow/runtime';
import type { PaymentEvent } from '../../domain/payment';
import { PAYMENTS, type PaymentDocument } from './payments-read-model';

const isPaymentEvent = (event: Envelope): event is Envelope<PaymentEvent> => {
  const { context, aggregate } = catalog[event.type];
  return context === 'payment' && aggregate === 'payment';
};

/** Only $set: the fields an event does not name keep what earlier events wrote. */
const change = (
  event: Envelope<PaymentEvent>,
  set: Omit<PaymentDocument, '_id' | 'updatedAt'>,
): DocumentChange[] => [
  {
    collection: PAYMENTS,
    id: event.data.orderId,
    set: { ...set, updatedAt: event.occurredAt },
  },
];

/** The `payments` read model: one document per order that payment acted on. */
export const paymentsProjection: ProjectionSpec = {
  name: PAYMENTS,
  version: 1,
  stream: streams.payment.name,
  filterSubject: aggregateFilter('payment', 'payment'),
  collections: [{ name: PAYMENTS }],
  project: (event) => {
    if (!isPaymentEvent(event)) return [];
    switch (event.type) {
      case 'PaymentCaptured': {
        const { amount, method, paymentId } = event.data;
        return change(event, { status: 'CAPTURED', amount, method, paymentId });
      }
      case 'PaymentFailed': {
        const { amount, method, detail } = event.data;
        return change(event, { status: 'FAILED', amount, method, failureReason: detail });
      }
      case 'PaymentCancelled':
        return change(event, { status: 'CANCELLED' });
      case 'PaymentRefunded':
        return change(event, { status: 'REFUNDED', refundId: event.data.refundId });
    }
  },
};
