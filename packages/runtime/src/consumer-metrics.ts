import { counter, gauge, histogram, latencyBuckets } from './metrics';

/** How a delivery ended: handled and acked, handed back for a retry, dead-lettered, or held. */
export type DeliveryOutcome = 'ok' | 'retry' | 'dead_letter' | 'waiting_for_upgrade';

const handled = histogram({
  name: 'orderflow_consumer_handler_seconds',
  help: 'How long a durable consumer took over one delivery, by outcome',
  labelNames: ['durable', 'outcome'],
  buckets: latencyBuckets,
});

const redeliveries = counter({
  name: 'orderflow_consumer_redeliveries_total',
  help: 'Deliveries of a message that had been delivered before (a retry, or a lost ack)',
  labelNames: ['durable'],
});

const deadLetters = counter({
  name: 'orderflow_dead_letters_total',
  help: 'Messages a durable consumer gave up on and moved to DEADLETTER',
  labelNames: ['durable'],
});

/** Where each running consumer stands on the server, read when /metrics is scraped. */
const positions = new Map<string, () => Promise<{ pending: number; ackPending: number }>>();

const readPositions = async (pick: 'pending' | 'ackPending') => {
  const read = await Promise.all(
    [...positions].map(async ([durable, read]) => {
      const position = await read().catch(() => undefined);
      return position ? ([durable, position[pick]] as const) : undefined;
    }),
  );
  return read.filter((entry) => entry !== undefined);
};

gauge({
  name: 'orderflow_consumer_pending',
  help: 'Messages on the stream that the durable consumer has not been handed yet (JetStream)',
  labelNames: ['durable'],
  async collect() {
    this.reset();
    for (const [durable, value] of await readPositions('pending')) this.set({ durable }, value);
  },
});

gauge({
  name: 'orderflow_consumer_ack_pending',
  help: 'Messages handed to the durable consumer and not acknowledged yet (JetStream)',
  labelNames: ['durable'],
  async collect() {
    this.reset();
    for (const [durable, value] of await readPositions('ackPending')) this.set({ durable }, value);
  },
});

export const consumerMetrics = {
  delivered(durable: string, deliveryCount: number): void {
    if (deliveryCount > 1) redeliveries.inc({ durable });
  },
  /** Starts timing one delivery; the returned function records how it ended. */
  handling(durable: string): (outcome: DeliveryOutcome) => void {
    const end = handled.startTimer({ durable });
    return (outcome) => {
      end({ outcome });
      if (outcome === 'dead_letter') deadLetters.inc({ durable });
    };
  },
  track(durable: string, read: () => Promise<{ pending: number; ackPending: number }>): void {
    positions.set(durable, read);
  },
  untrack(durable: string): void {
    positions.delete(durable);
  },
};
