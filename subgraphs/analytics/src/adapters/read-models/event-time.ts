import type { Envelope } from '@orderflow/contracts';
import type { DocumentChange, DocumentStore } from '@orderflow/runtime';
import { BUCKET_MS } from '../../domain/metric';
import { assign, initialWatermark, watermarkTime, type Watermark } from '../../domain/watermark';
import type { WindowSpec } from '../../domain/windows';
import type { ProcessorDocument } from './views';

const minute: WindowSpec = { kind: 'tumbling', sizeMs: BUCKET_MS };

/**
 * A processor's clock: its watermark and what it counted late or refused. Stored as one document
 * with every event's changes, reloaded by `resume`, so it always matches the checkpoint.
 */
export const eventTimeFold = (name: string, collection: string, allowedLatenessMs: number) => {
  let watermark: Watermark = initialWatermark(allowedLatenessMs);
  let late = 0;
  let rejected = 0;
  const state = (): DocumentChange => {
    const fields: Omit<ProcessorDocument, '_id'> = {
      maxEventTime: watermark.maxEventTime ?? null,
      late,
      rejected,
    };
    return { collection, id: name, set: fields };
  };
  return {
    resume: async (store: DocumentStore) => {
      const stored = await store.collection<ProcessorDocument>(collection).get(name);
      watermark = { maxEventTime: stored?.maxEventTime ?? undefined, allowedLatenessMs };
      late = stored?.late ?? 0;
      rejected = stored?.rejected ?? 0;
    },
    /** The start of the event's bucket while it is open; undefined, and counted, when late. */
    place: (event: Envelope): number | undefined => {
      const placed = assign(watermark, minute, Date.parse(event.occurredAt));
      watermark = placed.watermark;
      const bucket = placed.open[0]?.start;
      if (bucket === undefined) late += 1;
      return bucket;
    },
    /** The earliest bucket still open: older ones never change again. */
    openFrom: () => watermarkTime(watermark) - BUCKET_MS,
    /** A message that broke the contract: skipped, and counted. */
    reject: (): DocumentChange[] => {
      rejected += 1;
      return [state()];
    },
    state,
  };
};
