import { busUsers, streams, type BusAccess } from '@orderflow/contracts';
import type { Nats } from '@orderflow/runtime';
import type { ConsumerLag, ConsumerLagSource } from '../../application/ports';

/** Every durable consumer of the system, as the bus's access rules declare them. */
const durables = Object.values(busUsers).flatMap((access: BusAccess) => access.durables);

/**
 * Reads each durable's backlog from JetStream: what is not yet delivered or not yet acknowledged,
 * and how long the oldest of it has waited (the publish time of the message after the ack floor).
 * A consumer that does not exist yet (its service has not started) is left out.
 */
export const consumerLagSource = (nats: Nats): ConsumerLagSource => ({
  read: async (now) => {
    const lags = await Promise.all(
      durables.map(async ({ stream, name }): Promise<ConsumerLag | undefined> => {
        const streamName = streams[stream].name;
        const info = await nats.jsm.consumers.info(streamName, name).catch(() => undefined);
        if (info === undefined) return undefined;
        const pending = info.num_pending + info.num_ack_pending;
        if (pending === 0) return { consumer: name, stream: streamName, pending, lagMs: 0 };
        const oldest = await nats.jsm.streams
          .getMessage(streamName, { seq: info.ack_floor.stream_seq + 1 })
          .catch(() => null);
        const lagMs = oldest === null ? 0 : Math.max(0, now - oldest.time.getTime());
        return { consumer: name, stream: streamName, pending, lagMs };
      }),
    );
    return lags.filter((lag) => lag !== undefined);
  },
});
