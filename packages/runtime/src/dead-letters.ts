import type { JsMsg, StoredMsg } from '@nats-io/jetstream';
import { headers, type MsgHdrs, type Subscription } from '@nats-io/transport-node';
import {
  DEAD_LETTER_PREFIX as PREFIX,
  deadLetterStream,
  deadLetterSubject,
  decodeMessage,
  replaySubject,
  type Envelope,
} from '@orderflow/contracts';
import type { Logger } from './log';
import type { Nats } from './nats';

/** A message a consumer gave up on, as the DEADLETTER stream keeps it. */
export interface DeadLetter {
  /** Its sequence in DEADLETTER: how an operator names it. */
  readonly seq: number;
  /** The durable consumer that gave up on it. */
  readonly durable: string;
  readonly deadLetteredAt: string;
  /** Why: the handler's last error, or the contract the message breaks. */
  readonly error: string;
  readonly deliveries: number;
  /** Where the original is: its stream, subject and sequence. */
  readonly source: { readonly stream: string; readonly subject: string; readonly seq: number };
  /** The original message's bytes, as text. */
  readonly data: string;
  readonly headers: Readonly<Record<string, readonly string[]>>;
}

/** What a replay came to: handled (and removed from DEADLETTER), or why not. */
export type ReplayOutcome =
  { readonly replayed: true } | { readonly replayed: false; readonly reason: string };

const header = (h: MsgHdrs | undefined, name: string) => h?.get(name) ?? '';

const allHeaders = (h: MsgHdrs | undefined) =>
  Object.fromEntries([...(h ?? [])].map(([key, values]) => [key, [...values]]));

const toDeadLetter = (stored: StoredMsg): DeadLetter => ({
  seq: stored.seq,
  durable: stored.subject.slice(PREFIX.length),
  deadLetteredAt: stored.time.toISOString(),
  error: header(stored.header, 'Orderflow-Error'),
  deliveries: Number(header(stored.header, 'Orderflow-Deliveries')),
  source: {
    stream: header(stored.header, 'Orderflow-Source-Stream'),
    subject: header(stored.header, 'Orderflow-Source-Subject'),
    seq: Number(header(stored.header, 'Orderflow-Source-Seq')),
  },
  data: new TextDecoder().decode(stored.data),
  headers: allHeaders(stored.header),
});

/**
 * Moves a message a consumer gave up on to DEADLETTER, with why and where it came from. The copy
 * keeps the original's headers but its Nats-* ones, instructions to the server about the original
 * append (expected last sequence, dedup id) that would make it refuse the copy.
 */
export const publishDeadLetter = async (
  nats: Nats,
  message: JsMsg,
  from: { readonly stream: string; readonly durable: string },
  reason: unknown,
): Promise<void> => {
  const h = headers();
  for (const [key, values] of message.headers ?? []) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const v of values) h.append(key, v);
  }
  h.set('Orderflow-Error', reason instanceof Error ? reason.message : String(reason));
  h.set('Orderflow-Source-Stream', from.stream);
  h.set('Orderflow-Source-Subject', message.subject);
  h.set('Orderflow-Source-Seq', String(message.seq));
  h.set('Orderflow-Deliveries', String(message.info.deliveryCount));
  await nats.js.publish(deadLetterSubject(from.durable), message.data, {
    headers: h,
    msgID: `${from.stream}:${message.seq}:${from.durable}`,
  });
};

/** Dead letters in the order they came, of one durable or all, after `afterSeq`. */
export const listDeadLetters = async (
  nats: Nats,
  options: { durable?: string; afterSeq?: number; limit?: number } = {},
): Promise<DeadLetter[]> => {
  const filter = options.durable === undefined ? `${PREFIX}>` : deadLetterSubject(options.durable);
  const found: DeadLetter[] = [];
  let seq = (options.afterSeq ?? 0) + 1;
  while (found.length < (options.limit ?? 100)) {
    const next = await nats.jsm.direct.getMessage(deadLetterStream.name, {
      seq,
      next_by_subj: filter,
    });
    if (next === null) break;
    found.push(toDeadLetter(next));
    seq = next.seq + 1;
  }
  return found;
};

export const getDeadLetter = async (nats: Nats, seq: number): Promise<DeadLetter | undefined> => {
  const stored = await nats.jsm.streams.getMessage(deadLetterStream.name, { seq });
  return stored === null || !stored.subject.startsWith(PREFIX) ? undefined : toDeadLetter(stored);
};

/** Removes a dead letter for good; false when there is none with that sequence. */
export const discardDeadLetter = async (nats: Nats, seq: number): Promise<boolean> =>
  (await getDeadLetter(nats, seq)) !== undefined &&
  nats.jsm.streams.deleteMessage(deadLetterStream.name, seq);

/**
 * Asks a running replica of the dead letter's durable to handle it again with its own handler:
 * the same code path as a delivery, so the handler's idempotency holds. On success the dead
 * letter is removed; on failure it stays, and the outcome says why.
 */
export const replayDeadLetter = async (
  nats: Nats,
  seq: number,
  timeoutMs = 30_000,
): Promise<ReplayOutcome> => {
  const letter = await getDeadLetter(nats, seq);
  if (letter === undefined) return { replayed: false, reason: `there is no dead letter ${seq}` };
  try {
    const reply = await nats.connection.request(
      replaySubject(letter.durable),
      JSON.stringify({ seq }),
      { timeout: timeoutMs },
    );
    return reply.json<ReplayOutcome>();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      replayed: false,
      reason: `no running consumer ${letter.durable} answered (${reason}); start its service and replay again`,
    };
  }
};

/**
 * Serves replay requests for one durable. Replicas share a queue group, so one of them handles
 * each request.
 */
export const serveReplays = (
  nats: Nats,
  durable: string,
  handle: (event: Envelope, letter: DeadLetter) => Promise<void>,
  log: Logger,
): Subscription =>
  nats.connection.subscribe(replaySubject(durable), {
    queue: durable,
    callback: (failure, request) => {
      if (failure) {
        log.error('replay requests stopped', { error: failure });
        return;
      }
      const answer = (outcome: ReplayOutcome) => void request.respond(JSON.stringify(outcome));
      void (async () => {
        const { seq } = request.json<{ seq: number }>();
        const letter = await getDeadLetter(nats, seq);
        if (letter?.durable !== durable) {
          answer({ replayed: false, reason: `there is no dead letter ${seq} of ${durable}` });
          return;
        }
        await handle(decodeMessage(new TextEncoder().encode(letter.data)), letter);
        await nats.jsm.streams.deleteMessage(deadLetterStream.name, seq);
        log.info('replayed a dead letter', { seq, source: letter.source });
        answer({ replayed: true });
      })().catch((error: unknown) => {
        log.warn('a dead letter failed again on replay; it stays', { error });
        answer({
          replayed: false,
          reason: `it failed again: ${error instanceof Error ? error.message : String(error)}`,
        });
      });
    },
  });
