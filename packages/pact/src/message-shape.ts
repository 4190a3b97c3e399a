import {
  catalog,
  subjectOf,
  type EventData,
  type Envelope,
  type EventType,
} from '@orderflow/contracts';
import { Matchers } from '@pact-foundation/pact';

/** An ISO 8601 instant in UTC, as every event and API time is written. */
export const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

/**
 * The example's shape: every value matched by its type, arrays by their first element. A consumer
 * pins the shape it reads, not the example's values, so the provider may send any order id.
 */
const shapeOf = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error('an example array needs an element to give its shape');
    return Matchers.eachLike(shapeOf(value[0]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, shapeOf(field)]));
  }
  if (typeof value === 'string' && new RegExp(ISO_INSTANT).test(value)) {
    return Matchers.regex(ISO_INSTANT, value);
  }
  return Matchers.like(value);
};

/**
 * What a consumer expects of an envelope: its type and schema version exactly (they choose the
 * handler and the decoder), and the rest by shape. `causationType` is left out: no consumer reads
 * it, so a producer may drop it.
 */
export const envelopeShape = (example: Envelope): unknown => ({
  id: Matchers.uuid(example.id),
  type: example.type,
  version: example.version,
  occurredAt: Matchers.regex(ISO_INSTANT, example.occurredAt),
  aggregateId: Matchers.like(example.aggregateId),
  aggregateVersion: Matchers.integer(example.aggregateVersion),
  correlationId: Matchers.like(example.correlationId),
  causationId: Matchers.like(example.causationId),
  data: shapeOf(example.data),
});

/** A NATS filter as a regular expression on the subject: what the consumer's filter admits. */
export const filterPattern = (filter: string): string =>
  `^${filter
    .split('.')
    .map((token) => (token === '*' ? '[^.]+' : token === '>' ? '.+' : token.replace(/[-]/g, '\\-')))
    .join('\\.')}$`;

/**
 * A consumer's example event, with fixed ids and times so that the pact it generates is the same
 * on every run (the committed file is compared byte for byte).
 */
export const exampleEvent = <T extends EventType>(
  type: T,
  aggregateId: string,
  data: EventData<T>,
  aggregateVersion = 1,
): { readonly example: Envelope; readonly subject: string } => ({
  subject: subjectOf(type, aggregateId),
  example: {
    id: '6f1c2a4e-8b1d-4c3a-9e2f-0a1b2c3d4e5f',
    type,
    version: catalog[type].version,
    occurredAt: '2026-01-01T12:00:00.000Z',
    aggregateId,
    aggregateVersion,
    correlationId: aggregateId,
    causationId: '0b7e9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4',
    data,
  } as Envelope,
});
