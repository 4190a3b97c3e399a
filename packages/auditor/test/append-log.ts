import { catalog, streams, subjectOf, type Envelope } from '@orderflow/contracts';
import { ensureStream, JetStreamEventStore, type Nats } from '@orderflow/runtime';

/** Creates the four event streams, as the services do when they start. */
export const createStreams = async (nats: Nats) => {
  for (const stream of Object.values(streams)) await ensureStream(nats.jsm, stream);
};

/** Appends each event to its aggregate's subject in its context's stream, as its producer would. */
export const appendLog = async (nats: Nats, events: readonly Envelope[]) => {
  for (const event of events) {
    const store = new JetStreamEventStore(nats, streams[catalog[event.type].context].name);
    const subject = subjectOf(event.type, event.aggregateId);
    await store.append(subject, [event], await store.lastSequence(subject));
  }
};
