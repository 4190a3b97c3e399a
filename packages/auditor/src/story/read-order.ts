import { JetStreamApiCodes, JetStreamApiError, type JsMsg } from '@nats-io/jetstream';
import {
  catalog,
  deadLetterStream,
  streams,
  subjectOf,
  type Envelope,
  type EventType,
} from '@orderflow/contracts';
import { listDeadLetters, type DeadLetter, type Nats } from '@orderflow/runtime';
import { decodeLogMessage, isViolation, readStream, type StreamPart } from '../read-log';
import type { Violation } from '../violation';
import { headerValue, traceIdOf } from './trace-id';

/** An event of the order as the log holds it: where, when appended, and in which trace. */
export interface LoggedEvent {
  readonly event: Envelope;
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
  /** When the server appended it (occurredAt is the producer's clock). */
  readonly appendedAt: string;
  readonly traceId: string | undefined;
}

/** A message a consumer gave up on, whose original belongs to the order. */
export interface OrderDeadLetter {
  readonly letter: DeadLetter;
  readonly traceId: string | undefined;
  /** The original's envelope id and type, when it has them: the event the consumer failed on. */
  readonly original: { readonly id: string; readonly type: string } | undefined;
}

export interface OrderLog {
  readonly events: readonly LoggedEvent[];
  /** Messages on the order's subjects that break the event contract. */
  readonly unreadable: readonly Violation[];
  /** Its dead letters, or why they could not be read (a bus user without the right). */
  readonly deadLetters: readonly OrderDeadLetter[] | { readonly unreadable: string };
}

/**
 * One event type of each aggregate that is keyed by the order's id (docs/architecture.md,
 * Streams and subjects): their subjects hold the order's saga, one subject per service.
 */
const keyedByOrder: readonly EventType[] = [
  'OrderCreated',
  'InventoryReserved',
  'PaymentCaptured',
  'ShipmentDispatched',
];

export const orderSubjects = (orderId: string): readonly string[] =>
  keyedByOrder.map((type) => subjectOf(type, orderId));

const streamOf = (type: EventType) => streams[catalog[type].context].name;

/** The id and type of the envelope in a dead letter's bytes, if they hold them. */
const envelopeOf = (data: string): OrderDeadLetter['original'] => {
  try {
    const { id, type } = JSON.parse(data) as { id?: unknown; type?: unknown };
    return typeof id === 'string' && typeof type === 'string' ? { id, type } : undefined;
  } catch {
    // Not JSON: dead-lettered for breaking the contract; no id to hang it on.
    return undefined;
  }
};

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

const readDeadLetters = async (nats: Nats, orderId: string): Promise<OrderLog['deadLetters']> => {
  const subjects = new Set(orderSubjects(orderId));
  try {
    const { state } = await nats.jsm.streams.info(deadLetterStream.name);
    if (state.messages === 0) return [];
    // Every consumer reads a subject keyed by the order, so its source subject says whose it is.
    const letters = await listDeadLetters(nats, { limit: Number.MAX_SAFE_INTEGER });
    return letters
      .filter((letter) => subjects.has(letter.source.subject))
      .map((letter) => {
        const traceparent = headerValue(Object.entries(letter.headers), 'traceparent');
        return { letter, original: envelopeOf(letter.data), traceId: traceIdOf(traceparent) };
      });
  } catch (error) {
    const missing =
      error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
    return missing ? [] : { unreadable: reason(error) };
  }
};

/**
 * Everything the log holds of one order: its subjects in the four saga streams, the stock
 * movements it caused on its products' subjects (read from the order's creation on, as nothing
 * of it can be older), and the dead letters its messages became.
 */
export const readOrder = async (nats: Nats, orderId: string): Promise<OrderLog> => {
  const events: LoggedEvent[] = [];
  const unreadable: Violation[] = [];
  const read = async (stream: string, part: StreamPart, keep: (event: Envelope) => boolean) => {
    for await (const message of readStream(nats, stream, part)) {
      const decoded = decodeLogMessage(stream, message);
      if (isViolation(decoded)) unreadable.push(decoded);
      else if (keep(decoded)) events.push(logged(decoded, stream, message));
    }
  };
  for (const type of keyedByOrder) {
    await read(streamOf(type), { filter: subjectOf(type, orderId) }, () => true);
  }
  const created = events.find(({ event }) => event.type === 'OrderCreated');
  if (created?.event.type === 'OrderCreated') {
    const skus = new Set(created.event.data.lines.map(({ sku }) => sku));
    const since = new Date(created.appendedAt);
    for (const sku of skus) {
      await read(
        streamOf('StockReserved'),
        { filter: subjectOf('StockReserved', sku), since },
        (event) => event.correlationId === orderId,
      );
    }
  }
  return { events, unreadable, deadLetters: await readDeadLetters(nats, orderId) };
};

const logged = (event: Envelope, stream: string, message: JsMsg): LoggedEvent => ({
  event,
  stream,
  seq: message.seq,
  subject: message.subject,
  traceId: traceIdOf(headerValue(message.headers, 'traceparent')),
  appendedAt: message.time.toISOString(),
});
