import type { System } from '@orderflow/stack';
import { ioCalls } from '../proc';
import { figure, renderTable } from '../stats';

interface Counts {
  readonly inMsgs: number;
  readonly outMsgs: number;
  readonly api: number;
  readonly commits: number;
  readonly serverReads: number;
  readonly servicesWrites: number;
  /** Messages each service's connections sent to and got from nats-server, by service. */
  readonly byService: ReadonlyMap<string, { readonly sent: number; readonly got: number }>;
  /** Write system calls by each service and the gateway, by name. */
  readonly writesBy: ReadonlyMap<string, number>;
}

interface Connz {
  readonly connections: readonly { name?: string; in_msgs: number; out_msgs: number }[];
}

const fetchOk = async (url: string): Promise<Response> => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response;
};

/** The sum of a counter's series in a Prometheus text exposition. */
const counterSum = (exposition: string, name: string): number =>
  exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

/**
 * Work counted per order, segment by segment: the messages nats-server took in and sent out and
 * its JetStream API requests (its monitoring endpoint), and the read-model transactions of every
 * service (their /metrics), each service's messages (nats-server's connections, by name), and
 * the system calls behind them (/proc: nats-server's reads, the services' writes to sockets and
 * files). CPU follows these counts, and unlike CPU time they hardly move with the machine's
 * other load: a change that saves round trips, commits or system calls shows here.
 */
export class CountsPerOrder {
  private readonly monitorPort: number | undefined;
  private readonly metricsUrls: string[];
  private readonly serverPid: number | undefined;
  private readonly pids: ReadonlyMap<string, number>;
  private readonly serviceNames: string[];
  /** Per service: the messages it sent to nats-server and got from it. */
  private readonly serviceRows: string[][];
  /** Per service and the gateway: its write system calls. */
  private readonly writeRows: string[][];
  private readonly rows: string[][] = [
    ['NATS messages in (publishes, acks, requests)'],
    ['NATS messages out (deliveries, replies)'],
    ['JetStream API requests'],
    ['read-model transactions (all services)'],
    ['read system calls by nats-server'],
    ['write system calls by the services and gateway'],
  ];
  private before: Counts | undefined;

  constructor(system: System) {
    this.monitorPort = system.natsNodes.length === 1 ? system.natsNodes[0]!.monitorPort : undefined;
    this.metricsUrls = Object.entries(system.services)
      .filter(([name]) => name !== 'gateway')
      .map(([, service]) => new URL('/metrics', service.url).href);
    this.serverPid = system.natsNodes[0]?.process.pid;
    this.pids = new Map(
      Object.entries(system.services).map(([name, service]) => [name, service.process.pid!]),
    );
    this.serviceNames = Object.keys(system.services).filter((name) => name !== 'gateway');
    this.serviceRows = this.serviceNames.map((name) => [`NATS messages ${name} sent / got`]);
    this.writeRows = [...this.pids.keys()].map((name) => [`write system calls by ${name}`]);
  }

  async segmentStarts(): Promise<void> {
    if (this.monitorPort !== undefined) this.before = await this.counts(this.monitorPort);
  }

  async segmentEnded(orders: number): Promise<void> {
    if (this.monitorPort === undefined || this.before === undefined) return;
    const after = await this.counts(this.monitorPort);
    const before = this.before;
    (['inMsgs', 'outMsgs', 'api', 'commits', 'serverReads', 'servicesWrites'] as const).forEach(
      (key, i) => this.rows[i]!.push(figure((after[key] - before[key]) / orders)),
    );
    const perOrder = (name: string, key: 'sent' | 'got') =>
      figure(
        ((after.byService.get(name)?.[key] ?? 0) - (before.byService.get(name)?.[key] ?? 0)) /
          orders,
      );
    this.serviceNames.forEach((name, i) =>
      this.serviceRows[i]!.push(`${perOrder(name, 'sent')} / ${perOrder(name, 'got')}`),
    );
    [...this.pids.keys()].forEach((name, i) =>
      this.writeRows[i]!.push(
        figure(((after.writesBy.get(name) ?? 0) - (before.writesBy.get(name) ?? 0)) / orders),
      ),
    );
  }

  /** A heading and the table; nothing when there is no single embedded nats-server to ask. */
  report(segments: readonly string[], by = 'segment'): string[] {
    if (this.monitorPort === undefined) return [];
    return [
      `Counted per order, by ${by} (nats-server's /varz and /jsz, the services' /metrics, /proc):`,
      renderTable(
        ['per order', ...segments],
        [...this.rows, ...this.serviceRows, ...this.writeRows],
      ),
    ];
  }

  private async counts(monitorPort: number): Promise<Counts> {
    const server = `http://127.0.0.1:${monitorPort}`;
    const [varz, jsz, connz, ...expositions] = await Promise.all([
      fetchOk(`${server}/varz`).then(
        (response) => response.json() as Promise<Record<string, unknown>>,
      ),
      fetchOk(`${server}/jsz`).then(
        (response) => response.json() as Promise<Record<string, unknown>>,
      ),
      // Closed connections too: a reconnect must not lose what the old connection counted.
      fetchOk(`${server}/connz?state=all&limit=100000`).then(
        (response) => response.json() as Promise<Connz>,
      ),
      ...this.metricsUrls.map((url) => fetchOk(url).then((response) => response.text())),
    ]);
    const writesBy = new Map([...this.pids].map(([name, pid]) => [name, ioCalls(pid).writes]));
    return {
      inMsgs: Number(varz.in_msgs),
      outMsgs: Number(varz.out_msgs),
      api: Number((jsz.api as { total?: number } | undefined)?.total),
      commits: expositions.reduce(
        (sum, text) => sum + counterSum(text, 'orderflow_projection_commits_total'),
        0,
      ),
      serverReads: ioCalls(this.serverPid!).reads,
      servicesWrites: [...writesBy.values()].reduce((sum, writes) => sum + writes, 0),
      byService: byName(connz),
      writesBy,
    };
  }
}

/** nats-server's in_msgs of a connection are what it sent; its out_msgs what it got. */
const byName = (connz: Connz) => {
  const totals = new Map<string, { sent: number; got: number }>();
  for (const connection of connz.connections) {
    if (connection.name === undefined) continue;
    const total = totals.get(connection.name) ?? { sent: 0, got: 0 };
    totals.set(connection.name, {
      sent: total.sent + connection.in_msgs,
      got: total.got + connection.out_msgs,
    });
  }
  return totals;
};
