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

/** The stream's last sequence now, or 0 when it is empty or does not exist yet. */
const lastSequence = async (nats: Nats, stream: string): Promise<number> => {
  try {
    const { state } = await nats.jsm.streams.info(stream);
    return state.messages === 0 ? 0 : state.last_seq;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      return 0;
    }
    throw error;
  }
};

const decodeInto = (log: EventLog, stream: string, message: JsMsg) => {
  try {
    log.events.push(decodeMessage(message.data));
  } catch (error) {
    if (!(error instanceof ContractViolation)) throw error;
    log.violations.push({
      invariant: 'contract',
      subject: `message ${stream}/${message.seq}`,
      message:
        `${message.subject} breaks the event contract (${error.message}): consumers ` +
        'dead-letter it and this audit skips it; fix the producer that published it',
    });
  }
};

/**
 * Reads every message of each stream from the start with an ordered consumer (ephemeral, in
 * memory, gone from the server once idle). A stream is read until nothing is pending, or up to
 * its last message as of the start, so a busy stream cannot keep the audit reading forever.
 */
export const readLog = async (
  nats: Nats,
  streamNames: readonly string[] = eventStreams,
): Promise<EventLog> => {
  const log: EventLog = { events: [], violations: [] };
  for (const stream of streamNames) {
    const lastSeq = await lastSequence(nats, stream);
    // An empty stream would leave the consumer waiting for a first message.
    if (lastSeq === 0) continue;
    const consumer = await nats.js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume({ max_messages: 512 });
    try {
      for await (const message of messages) {
        decodeInto(log, stream, message);
        if (message.info.pending === 0 || message.seq >= lastSeq) break;
      }
    } finally {
      await messages.close();
    }
  }
  return log;
};
