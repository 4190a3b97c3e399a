import { encodeEnvelope, subjectOf } from '@orderflow/contracts';
import type { Nats } from '@orderflow/runtime';
import type { ClickstreamLog } from '../../application/ingest';

/**
 * Publishes reported events to CLICKSTREAM, each on its session's subject, with its id as
 * `Nats-Msg-Id`: a batch retried after a failure stores each event once.
 */
export const clickstreamLog = (nats: Nats): ClickstreamLog => ({
  publish: async (envelopes) => {
    await Promise.all(
      envelopes.map((envelope) =>
        nats.js.publish(subjectOf(envelope.type, envelope.aggregateId), encodeEnvelope(envelope), {
          msgID: envelope.id,
        }),
      ),
    );
  },
});
