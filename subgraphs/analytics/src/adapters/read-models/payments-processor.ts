import { catalog, streams, type DomainEvent, type Envelope } from '@orderflow/contracts';
import type { ProjectionSpec } from '@orderflow/runtime';
import { eventTimeFold } from './event-time';
import {
  addToBucket,
  BUCKET_INDEXES,
  PAYMENT_BUCKETS,
  PAYMENT_PROCESSOR_STATE,
  PAYMENTS_PROCESSOR,
} from './views';

type PaymentEvent = DomainEvent<'PaymentCaptured' | 'PaymentRefunded'>;
const isMoneyMovement = (event: Envelope): event is Envelope<PaymentEvent> =>
  catalog[event.type].context === 'payment' &&
  (event.type === 'PaymentCaptured' || event.type === 'PaymentRefunded');

/** REVENUE from the PAYMENT stream: what was captured, less what was refunded, per currency. */
export const paymentsProcessor = (allowedLatenessMs: number): ProjectionSpec => {
  const clock = eventTimeFold(PAYMENTS_PROCESSOR, PAYMENT_PROCESSOR_STATE, allowedLatenessMs);
  return {
    name: PAYMENTS_PROCESSOR,
    version: 1,
    stream: streams.payment.name,
    filterSubject: streams.payment.subjects[0]!,
    collections: [
      { name: PAYMENT_BUCKETS, indexes: BUCKET_INDEXES },
      { name: PAYMENT_PROCESSOR_STATE },
    ],
    resume: clock.resume,
    project: (event) => {
      if (!isMoneyMovement(event)) return [];
      const bucket = clock.place(event);
      const { amount } = event.data;
      const sign = event.type === 'PaymentCaptured' ? 1 : -1;
      return [
        ...(bucket === undefined
          ? []
          : [
              addToBucket(
                'REVENUE',
                bucket,
                { count: 1, sum: sign * amount.amount },
                amount.currency,
              ),
            ]),
        clock.state(),
      ];
    },
  };
};
