import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JsMsg,
} from '@nats-io/jetstream';
import { ContractViolation, decodeMessage, streams, type Envelope } from '@orderflow/contracts';
import type { Nats } from '@orderflow/runtime';
import type { Violation } from './violation';

export interface EventLog {
  /** Every message that decoded, stream after stream, each stream in its own order. */
  readonly events: Envelope[];
  /** One `contract` violation per message the catalog rejects: it is left out of the audit. */
  readonly violations: Violation[];
}

/** The saga's streams: the invariants speak of nothing else. */
export const eventStreams: readonly string[] = (
  ['inventory', 'order', 'payment', 'shipping'] as const
).map((context) => streams[context].name);

/** Which part of a stream to read: one subject filter, from a moment on. All of it by default. */
export interface StreamPart {
  /** A subject filter (one: the server may predate filters in the plural). */
  readonly filter?: string;
  /** Leave out what was appended before this (the server's append time). */
  readonly since?: Date;
}

const missingStream = (error: unknown) =>
  error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;

/**
 * The sequence of the last message of the part now, or 0 when there is none: a consumer started
 * on a part with nothing in it would wait for a first message.
 */
const lastSequence = async (nats: Nats, stream: string, part: StreamPart): Promise<number> => {
  try {
    if (part.filter === undefined) {
      const { state } = await nats.jsm.streams.info(stream);
      const last = state.messages === 0 ? 0 : state.last_seq;
      return part.since !== undefined && new Date(state.last_ts) < part.since ? 0 : last;
    }
    const last = await nats.jsm.streams.getMessage(stream, { last_by_subj: part.filter });
    return last === null || (part.since !== undefined && last.time < part.since) ? 0 : last.seq;
  } catch (error) {
    if (missingStream(error)) return 0;
    throw error;
  }
};

/**
 * Reads the messages of one stream (or a part of it) from the start with an ordered consumer
 * (ephemeral, in memory, gone from the server once idle), until nothing is pending or up to its
 * last message as of the start, so a busy stream cannot keep a reader reading forever.
 */
export async function* readStream(
  nats: Nats,
  stream: string,
  part: StreamPart = {},
): AsyncGenerator<JsMsg> {
  const lastSeq = await lastSequence(nats, stream, part);
  if (lastSeq === 0) return;
  const consumer = await nats.js.consumers.get(stream, {
    ...(part.since === undefined
      ? { deliver_policy: DeliverPolicy.All }
      : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: part.since.toISOString() }),
    ...(part.filter === undefined ? {} : { filter_subjects: part.filter }),
  });
  const messages = await consumer.consume({ max_messages: 512 });
  try {
    for await (const message of messages) {
      yield message;
      if (message.info.pending === 0 || message.seq >= lastSeq) break;
    }
  } finally {
    await messages.close();
  }
}

/** A message as an event, or the `contract` violation that keeps it out of the log's events. */
export const decodeLogMessage = (stream: string, message: JsMsg): Envelope | Violation => {
  try {
    return decodeMessage(message.data);
  } catch (error) {
    if (!(error instanceof ContractViolation)) throw error;
    return {
      invariant: 'contract',
      subject: `message ${stream}/${message.seq}`,
      message:
        `${message.subject} breaks the event contract (${error.message}): consumers ` +
        'dead-letter it and this audit skips it; fix the producer that published it',
    };
  }
};

export const isViolation = (decoded: Envelope | Violation): decoded is Violation =>
  'invariant' in decoded;

/** Every message of each stream, from the start, decoded. */
export const readLog = async (
  nats: Nats,
  streamNames: readonly string[] = eventStreams,
): Promise<EventLog> => {
  const log: EventLog = { events: [], violations: [] };
  for (const stream of streamNames) {
    for await (const message of readStream(nats, stream)) {
      const decoded = decodeLogMessage(stream, message);
      if (isViolation(decoded)) log.violations.push(decoded);
      else log.events.push(decoded);
    }
  }
  return log;
};
