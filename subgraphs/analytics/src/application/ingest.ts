import {
  catalog,
  ContractViolation,
  DomainError,
  encodeEnvelope,
  type DomainEvent,
  type Envelope,
} from '@orderflow/contracts';
import { deterministicId, type Viewer } from '@orderflow/runtime';

/** One reported event, as a producer sends it: the fields its type needs, the rest absent. */
export interface IngestedItem {
  /** The producer's own id for it: a retry with the same id is stored once. */
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly sessionId: string;
  readonly path?: string | null;
  readonly sku?: string | null;
  readonly quantity?: number | null;
  readonly name?: string | null;
  readonly value?: number | null;
  /** Where a product was seen; WEB when the producer does not say. */
  readonly source?: 'WEB' | 'APP' | null;
}

export interface IngestRejection {
  readonly index: number;
  readonly code: 'BAD_USER_INPUT';
  readonly message: string;
}

export interface IngestResult {
  readonly accepted: number;
  readonly rejected: readonly IngestRejection[];
}

/** Where ingested events go: the CLICKSTREAM stream, deduplicated by envelope id. */
export interface ClickstreamLog {
  publish(envelopes: readonly Envelope[]): Promise<void>;
}

export const MAX_BATCH = 500;
/** A client's clock may run a little fast; further ahead, an event would close every bucket. */
export const MAX_CLOCK_SKEW_MS = 60_000;

type Ingested = DomainEvent<
  'PageViewed' | 'ProductViewed' | 'AddedToCart' | 'CheckoutStarted' | 'ClientTelemetry'
>;

const typeOf = {
  PAGE_VIEWED: 'PageViewed',
  PRODUCT_VIEWED: 'ProductViewed',
  ADDED_TO_CART: 'AddedToCart',
  CHECKOUT_STARTED: 'CheckoutStarted',
  CLIENT_TELEMETRY: 'ClientTelemetry',
} as const satisfies Record<string, Ingested['type']>;

const eventOf = (item: IngestedItem): Ingested => {
  const type = typeOf[item.type as keyof typeof typeOf];
  const { sessionId } = item;
  switch (type) {
    case 'PageViewed':
      return { type, data: { sessionId, path: item.path ?? '' } };
    case 'ProductViewed':
      return { type, data: { sessionId, sku: item.sku ?? '', source: item.source ?? 'WEB' } };
    case 'AddedToCart':
      return { type, data: { sessionId, sku: item.sku ?? '', quantity: item.quantity ?? 0 } };
    case 'CheckoutStarted':
      return { type, data: { sessionId } };
    case 'ClientTelemetry':
      return { type, data: { sessionId, name: item.name ?? '', value: item.value ?? Number.NaN } };
    case undefined:
      throw new ContractViolation(
        `unknown type ${item.type}; one of ${Object.keys(typeOf).join(', ')}`,
      );
  }
};

/**
 * Takes a batch of reported events: each is checked against its schema in `contracts/` on its own,
 * so one malformed item is refused with its own error while the rest are stored; refusals are
 * counted. Any signed-in caller may report (a shop front reports its visitors' clicks).
 */
export const ingestion = (log: ClickstreamLog, clock: () => number = Date.now) => {
  let refused = 0;
  return {
    /** Items refused since this process started. */
    refused: () => refused,
    ingest: async (
      items: readonly IngestedItem[],
      viewer: Viewer,
      requestId: string,
    ): Promise<IngestResult> => {
      if (items.length > MAX_BATCH) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `at most ${MAX_BATCH} events per call, not ${items.length}: send them in several`,
        );
      }
      const now = clock();
      const accepted: Envelope[] = [];
      const rejected: IngestRejection[] = [];
      items.forEach((item, index) => {
        try {
          if (Date.parse(item.occurredAt) > now + MAX_CLOCK_SKEW_MS) {
            throw new ContractViolation(
              `occurredAt ${item.occurredAt} is in the future; send the time the event happened`,
            );
          }
          if (item.id.length < 1 || item.id.length > 128) {
            throw new ContractViolation('id must be 1 to 128 characters');
          }
          const event = eventOf(item);
          const envelope = {
            ...event,
            id: deterministicId(`ingest/${viewer.customerId}/${item.id}`),
            // Producers always write the current version (ProductViewed is v2).
            version: catalog[event.type].version,
            occurredAt: item.occurredAt,
            aggregateId: item.sessionId,
            // Reports are facts from outside, not an aggregate's decisions: no versions to keep.
            aggregateVersion: 1,
            correlationId: item.sessionId,
            causationId: requestId,
            causationType: 'request',
          } as Envelope;
          encodeEnvelope(envelope);
          accepted.push(envelope);
        } catch (error) {
          if (!(error instanceof ContractViolation)) throw error;
          rejected.push({ index, code: 'BAD_USER_INPUT', message: error.message });
        }
      });
      refused += rejected.length;
      await log.publish(accepted);
      return { accepted: accepted.length, rejected };
    },
  };
};

export type Ingestion = ReturnType<typeof ingestion>;
