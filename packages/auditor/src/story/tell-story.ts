import {
  catalog,
  deadLetterStream,
  orderStatusAfter,
  type OrderEventType,
  type OrderStatus,
} from '@orderflow/contracts';
import { detailOf } from './details';
import { producerOf, serviceOfDurable } from './producers';
import type { LoggedEvent, OrderDeadLetter, OrderLog } from './read-order';

/** One step of an order's story: an event of it, or a message of it a consumer gave up on. */
export interface StoryStep {
  readonly kind: 'event' | 'dead-letter';
  /** The envelope id; for a dead letter `DEADLETTER/<seq>`. */
  readonly id: string;
  /** The event type; for a dead letter, the type of the message the consumer gave up on. */
  readonly type: string;
  /** The event's occurredAt, or when the consumer gave up. */
  readonly at: string;
  /** Milliseconds since its cause happened, when its cause is in the story. */
  readonly sinceCauseMs: number | null;
  /** The service that wrote it, or whose consumer gave up. */
  readonly service: string;
  /** The durable consumer (or poller, or API) that handled the cause to produce it. */
  readonly by: string;
  /** An event type, `request` or `deadline`, and its id. */
  readonly cause: { readonly type: string; readonly id: string };
  /** For the order's own events: the status it moved the order into. */
  readonly status: OrderStatus | null;
  readonly detail: string;
  /** From the message's W3C traceparent header. */
  readonly traceId: string | null;
  /** Where the log keeps it; for a dead letter, the subject of the original. */
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
}

export interface Story {
  readonly orderId: string;
  /** The status its last order event left it in. */
  readonly status: OrderStatus | null;
  /** Causes before what they caused; otherwise in time order. */
  readonly steps: readonly StoryStep[];
  /** Messages on its subjects that break the event contract, and why. */
  readonly unreadable: readonly string[];
  /** Why its dead letters could not be read, when they could not. */
  readonly deadLettersUnreadable: string | null;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

const statusAfter = (type: string): OrderStatus | null =>
  Object.hasOwn(orderStatusAfter, type) ? orderStatusAfter[type as OrderEventType] : null;

const eventStep = ({ event, stream, seq, subject, traceId }: LoggedEvent): StoryStep => ({
  kind: 'event',
  id: event.id,
  type: event.type,
  at: event.occurredAt,
  sinceCauseMs: null,
  service: catalog[event.type].context,
  by: producerOf(event),
  cause: { type: event.causationType ?? 'unknown', id: event.causationId },
  status: statusAfter(event.type),
  detail: detailOf(event),
  traceId: traceId ?? null,
  stream,
  seq,
  subject,
});

const deadLetterStep = ({ letter, original, traceId }: OrderDeadLetter): StoryStep => ({
  kind: 'dead-letter',
  id: `${deadLetterStream.name}/${letter.seq}`,
  type: original?.type ?? 'unreadable message',
  at: letter.deadLetteredAt,
  sinceCauseMs: null,
  service: serviceOfDurable(letter.durable) ?? 'unknown',
  by: letter.durable,
  cause: original ?? {
    type: 'unreadable message',
    id: `${letter.source.stream}/${letter.source.seq}`,
  },
  status: null,
  detail: `gave up after ${plural(letter.deliveries, 'delivery', 'deliveries')}: ${letter.error}`,
  traceId: traceId ?? null,
  stream: deadLetterStream.name,
  seq: letter.seq,
  subject: letter.source.subject,
});

/**
 * Causes first: repeatedly the earliest step whose cause is told already or is not in the story
 * (a request, a deadline). The services' clocks may disagree a little, so time alone could put
 * an answer before its question; causality cannot.
 */
const causalOrder = (steps: readonly StoryStep[]): StoryStep[] => {
  const ids = new Set(steps.map(({ id }) => id));
  const pending = [...steps].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq);
  const told = new Set<string>();
  const ordered: StoryStep[] = [];
  while (pending.length > 0) {
    const ready = pending.findIndex(({ cause }) => !ids.has(cause.id) || told.has(cause.id));
    // None is ready only in a cycle, which causes cannot make: then the earliest goes first.
    const [next] = pending.splice(Math.max(ready, 0), 1) as [StoryStep];
    ordered.push(next);
    told.add(next.id);
  }
  return ordered;
};

/** Each step's time since its cause, when its cause is in the story. */
const withGaps = (steps: readonly StoryStep[]): StoryStep[] => {
  const times = new Map(steps.map(({ id, at }) => [id, Date.parse(at)]));
  return steps.map((step) => {
    const causedAt = times.get(step.cause.id);
    return causedAt === undefined
      ? step
      : { ...step, sinceCauseMs: Date.parse(step.at) - causedAt };
  });
};

/** The story of one order from what the log holds of it; undefined when it holds nothing. */
export const tellStory = (orderId: string, log: OrderLog): Story | undefined => {
  // The same event appended twice (a retry after the duplicate window) is one step: the first.
  const seen = new Set<string>();
  const events = log.events.filter(({ event }) => !seen.has(event.id) && seen.add(event.id));
  if (events.length === 0 && log.unreadable.length === 0) return undefined;
  const unreadableLetters = 'unreadable' in log.deadLetters ? log.deadLetters.unreadable : null;
  const letters = 'unreadable' in log.deadLetters ? [] : log.deadLetters;
  const steps = causalOrder(withGaps([...events.map(eventStep), ...letters.map(deadLetterStep)]));
  return {
    orderId,
    status: steps.findLast(({ status }) => status !== null)?.status ?? null,
    steps,
    unreadable: log.unreadable.map(({ subject, message }) => `${subject}: ${message}`),
    deadLettersUnreadable: unreadableLetters,
  };
};
