import type { System } from '@orderflow/stack';
import { figure, renderTable } from '../stats';

interface Counters {
  readonly inMsgs: number;
  readonly outMsgs: number;
  readonly api: number;
}

const counters = async (monitorPort: number): Promise<Counters> => {
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${monitorPort}${path}`);
    if (!response.ok) throw new Error(`nats-server ${path} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const [varz, jsz] = await Promise.all([get('/varz'), get('/jsz')]);
  return {
    inMsgs: Number(varz.in_msgs),
    outMsgs: Number(varz.out_msgs),
    api: Number((jsz.api as { total?: number } | undefined)?.total),
  };
};

/**
 * The messages nats-server took in and sent out per order, and its JetStream API requests, from
 * its monitoring endpoint, segment by segment. nats-server's CPU follows these counts, and unlike
 * CPU time they do not move with the machine's other load: a change that saves round trips shows
 * here exactly.
 */
export class NatsTrafficPerOrder {
  private readonly monitorPort: number | undefined;
  private readonly rows: string[][] = [
    ['messages in (publishes, acks, requests)'],
    ['messages out (deliveries, replies)'],
    ['JetStream API requests'],
  ];
  private before: Counters | undefined;

  constructor(system: System) {
    this.monitorPort = system.natsNodes.length === 1 ? system.natsNodes[0]!.monitorPort : undefined;
  }

  async segmentStarts(): Promise<void> {
    if (this.monitorPort !== undefined) this.before = await counters(this.monitorPort);
  }

  async segmentEnded(orders: number): Promise<void> {
    if (this.monitorPort === undefined || this.before === undefined) return;
    const after = await counters(this.monitorPort);
    const before = this.before;
    [after.inMsgs - before.inMsgs, after.outMsgs - before.outMsgs, after.api - before.api].forEach(
      (delta, i) => this.rows[i]!.push(figure(delta / orders)),
    );
  }

  /** A heading and the table; nothing when there is no single embedded nats-server to ask. */
  report(segments: readonly string[]): string[] {
    if (this.monitorPort === undefined) return [];
    return [
      "nats-server's traffic per order (its /varz and /jsz counters), by segment:",
      renderTable(['per order', ...segments], this.rows),
    ];
  }
}
