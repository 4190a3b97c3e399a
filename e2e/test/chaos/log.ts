import { connectNats } from '@orderflow/runtime';
import type { NatsAccess } from '@orderflow/stack';

export interface LoggedEvent {
  readonly stream: string;
  readonly subject: string;
  readonly type: string;
  readonly aggregateId: string;
  readonly orderId: string | undefined;
}

/** Every message of the streams, parsed as far as it parses: what the verdict counts. */
export const readEvents = async (bus: NatsAccess, streams: readonly string[]) => {
  const { connection, js, jsm } = await connectNats(bus, 'chaos-reader');
  try {
    const events: LoggedEvent[] = [];
    for (const stream of streams) {
      const last = (await jsm.streams.info(stream)).state.last_seq;
      if (last === 0) continue;
      const messages = await (await js.consumers.get(stream)).consume();
      for await (const message of messages) {
        try {
          const { type, aggregateId, data } = message.json<{
            type: string;
            aggregateId: string;
            data?: { orderId?: string };
          }>();
          events.push({
            stream,
            subject: message.subject,
            type,
            aggregateId,
            orderId: data?.orderId,
          });
        } catch {
          // Poison (not JSON): the dead letters account for it.
        }
        if (message.seq >= last) break;
      }
    }
    return events;
  } finally {
    await connection.close();
  }
};

/** The dead letters whose original came from `subjectPrefix`, by durable. */
export const deadLettersFrom = async (bus: NatsAccess, subjectPrefix: string) => {
  const { connection, jsm } = await connectNats(bus, 'chaos-dead-letters');
  try {
    const byDurable = new Map<string, number>();
    for (let seq = 1; ;) {
      const next = await jsm.direct.getMessage('DEADLETTER', { seq, next_by_subj: 'deadletter.>' });
      if (next === null) break;
      if (next.header.get('Orderflow-Source-Subject').startsWith(subjectPrefix)) {
        const durable = next.subject.slice('deadletter.'.length);
        byDurable.set(durable, (byDurable.get(durable) ?? 0) + 1);
      }
      seq = next.seq + 1;
    }
    return byDurable;
  } finally {
    await connection.close();
  }
};
