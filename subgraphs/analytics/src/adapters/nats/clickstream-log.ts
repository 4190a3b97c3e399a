import { subjectOf, type Envelope } from '@orderflow/contracts';
import { natsTraceHeaders, toWire, type Nats, type WireMessage } from '@orderflow/runtime';
import type { ClickstreamLog } from '../../application/ingest';

/**
 * Publishes reported events to CLICKSTREAM, each on its session's subject, with its id as
 * `Nats-Msg-Id`: a batch retried after a failure stores each event once.
 */
export const clickstreamLog = (nats: Nats): ClickstreamLog => ({
  publish: async (envelopes) => {
    const trace = natsTraceHeaders();
    await Promise.all(
      envelopes.map(clickstreamMessage).map((message) =>
        nats.js.publish(message.subject, message.data, {
          msgID: message.msgId,
          ...(trace ? { headers: trace } : {}),
        }),
      ),
    );
  },
});

export const clickstreamMessage = (envelope: Envelope): WireMessage =>
  toWire(subjectOf(envelope.type, envelope.aggregateId), envelope);
