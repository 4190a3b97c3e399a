import type { System } from '@orderflow/stack';
import { cpuMs } from '../proc';
import { figure, renderTable } from '../stats';

/**
 * CPU ms per order of every process (nats-server, each service, the gateway, this script's
 * clients), segment by segment: where the time goes, and which process grows as orders pile up.
 */
export class CpuPerOrder {
  private readonly processes: [string, () => number][];
  private readonly rows: string[][];
  private readonly totals: string[] = ['all'];
  private before: number[] = [];

  constructor(system: System) {
    this.processes = [
      ...system.natsNodes.map((node, i): [string, () => number] => [
        system.natsNodes.length > 1 ? `nats-server ${i + 1}` : 'nats-server',
        () => cpuMs(node.process.pid!),
      ]),
      ...Object.entries(system.services).map(([name, service]): [string, () => number] => [
        name,
        () => cpuMs(service.process.pid!),
      ]),
      [
        'bench (clients)',
        () => {
          const { user, system: kernel } = process.cpuUsage();
          return (user + kernel) / 1000;
        },
      ],
    ];
    this.rows = this.processes.map(([name]) => [name]);
  }

  segmentStarts(): void {
    this.before = this.processes.map(([, read]) => read());
  }

  segmentEnded(orders: number): void {
    const perOrder = this.processes.map(([, read], i) => (read() - this.before[i]!) / orders);
    perOrder.forEach((ms, i) => this.rows[i]!.push(figure(ms)));
    this.totals.push(figure(perOrder.reduce((sum, ms) => sum + ms, 0)));
  }

  table(segments: readonly string[]): string {
    return renderTable(['process', ...segments], [...this.rows, this.totals]);
  }
}
