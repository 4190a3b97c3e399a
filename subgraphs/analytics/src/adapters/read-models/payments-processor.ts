import { catalog, streams, type DomainEvent, type Envelope } from '@orderflow/contracts';
import type { DocumentStore, ProjectionSpec } from '@orderflow/runtime';
import { BUCKET_MS } from '../../domain/metric';
import { assign, initialWatermark, type Watermark } from '../../domain/watermark';
import type { WindowSpec } from '../../domain/windows';
import {
  addToBucket,
  BUCKET_INDEXES,
  PAYMENT_BUCKETS,
  PAYMENT_PROCESSOR_STATE,
  PAYMENTS_PROCESSOR,
  type ProcessorDocument,
} from './views';

const NAME = PAYMENTS_PROCESSOR;
const minute: WindowSpec = { kind: 'tumbling', sizeMs: BUCKET_MS };

type PaymentEvent = DomainEvent<'PaymentCaptured' | 'PaymentRefunded'>;
const isMoneyMovement = (event: Envelope): event is Envelope<PaymentEvent> =>
  catalog[event.type].context === 'payment' &&
  (event.type === 'PaymentCaptured' || event.type === 'PaymentRefunded');

/** REVENUE from the PAYMENT stream: what was captured, less what was refunded, per currency. */
export const paymentsProcessor = (allowedLatenessMs: number): ProjectionSpec => {
  let watermark: Watermark = initialWatermark(allowedLatenessMs);
  let late = 0;
  return {
    name: NAME,
    version: 1,
    stream: streams.payment.name,
    filterSubject: streams.payment.subjects[0]!,
    collections: [
      { name: PAYMENT_BUCKETS, indexes: BUCKET_INDEXES },
      { name: PAYMENT_PROCESSOR_STATE },
    ],
    resume: async (store: DocumentStore) => {
      const stored = await store.collection<ProcessorDocument>(PAYMENT_PROCESSOR_STATE).get(NAME);
      watermark = { maxEventTime: stored?.maxEventTime ?? undefined, allowedLatenessMs };
      late = stored?.late ?? 0;
    },
    project: (event) => {
      if (!isMoneyMovement(event)) return [];
      const placed = assign(watermark, minute, Date.parse(event.occurredAt));
      watermark = placed.watermark;
      const window = placed.open[0];
      if (window === undefined) late += 1;
      const { amount } = event.data;
      const sign = event.type === 'PaymentCaptured' ? 1 : -1;
      const state: Omit<ProcessorDocument, '_id'> = {
        maxEventTime: watermark.maxEventTime ?? null,
        late,
      };
      return [
        ...(window === undefined
          ? []
          : [
              addToBucket(
                'REVENUE',
                window.start,
                { count: 1, sum: sign * amount.amount },
                amount.currency,
              ),
            ]),
        { collection: PAYMENT_PROCESSOR_STATE, id: NAME, set: state },
      ];
    },
  };
};
