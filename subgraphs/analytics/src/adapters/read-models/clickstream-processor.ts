import { catalog, streams, type DomainEvent, type Envelope } from '@orderflow/contracts';
import type { DocumentChange, ProjectionSpec } from '@orderflow/runtime';
import { eventTimeFold } from './event-time';
import {
  addToBucket,
  BUCKET_INDEXES,
  CLICKSTREAM_BUCKETS,
  CLICKSTREAM_PROCESSOR,
  CLICKSTREAM_PROCESSOR_STATE,
} from './views';

type IngestedEvent = DomainEvent<
  'PageViewed' | 'ProductViewed' | 'AddedToCart' | 'CheckoutStarted' | 'ClientTelemetry'
>;
const isIngested = (event: Envelope): event is Envelope<IngestedEvent> =>
  catalog[event.type].context === 'clickstream';

/**
 * The funnel's first steps and client telemetry, from what producers report on CLICKSTREAM. A
 * message that breaks its schema is skipped and counted as rejected, never stopping the rest.
 */
export const clickstreamProcessor = (allowedLatenessMs: number): ProjectionSpec => {
  const clock = eventTimeFold(
    CLICKSTREAM_PROCESSOR,
    CLICKSTREAM_PROCESSOR_STATE,
    allowedLatenessMs,
  );
  const counted = (event: Envelope<IngestedEvent>, bucket: number): DocumentChange => {
    switch (event.type) {
      case 'PageViewed':
        return addToBucket('PAGE_VIEWS', bucket, { count: 1 });
      case 'ProductViewed':
        return addToBucket('PRODUCT_VIEWS', bucket, { count: 1 }, event.data.sku);
      case 'AddedToCart':
        return addToBucket(
          'ADDED_TO_CART',
          bucket,
          { count: 1, sum: event.data.quantity },
          event.data.sku,
        );
      case 'CheckoutStarted':
        return addToBucket('CHECKOUTS_STARTED', bucket, { count: 1 });
      case 'ClientTelemetry':
        return addToBucket(
          'CLIENT_TELEMETRY',
          bucket,
          { count: 1, sum: event.data.value },
          event.data.name,
        );
    }
  };
  return {
    name: CLICKSTREAM_PROCESSOR,
    version: 1,
    stream: streams.clickstream.name,
    filterSubject: streams.clickstream.subjects[0]!,
    collections: [
      { name: CLICKSTREAM_BUCKETS, indexes: BUCKET_INDEXES },
      { name: CLICKSTREAM_PROCESSOR_STATE },
    ],
    resume: clock.resume,
    rejected: clock.reject,
    project: (event) => {
      if (!isIngested(event)) return [];
      const bucket = clock.place(event);
      return [...(bucket === undefined ? [] : [counted(event, bucket)]), clock.state()];
    },
  };
};
