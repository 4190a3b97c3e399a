import type { StreamDefinition } from '@orderflow/contracts';
import { connectNats, ensureStream, type NatsSettings } from '../nats';

/**
 * Creates streams that other services own, for a test that runs one service alone and plays the
 * others: a service waits for the streams it reads until their owner creates them.
 */
export const provisionForeignStreams = async (
  bus: NatsSettings,
  definitions: readonly StreamDefinition[],
): Promise<void> => {
  const nats = await connectNats(bus, 'test-provisioner');
  try {
    for (const stream of definitions) await ensureStream(nats.jsm, stream);
  } finally {
    await nats.connection.close();
  }
};
