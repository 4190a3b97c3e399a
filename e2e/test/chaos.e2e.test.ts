import { killAndRestart, poisonMessages, publishPoison, restartNats } from './chaos/faults';
import { formatReport, profiles, runPhase, type PhaseReport } from './chaos/run';

/**
 * The fault suite: a bounded load of orders through the gateway while processes are killed, the
 * bus restarted or loses a cluster node, replicas share their consumers, every delivery is
 * doubled and poison is published. Nothing may be lost or doubled, and the auditor must agree.
 * `npm run chaos` runs the long profile and prints the report; npm test runs the short one.
 */
const profile = profiles[process.env.CHAOS_PROFILE ?? 'short']!;
const SAGA_DURABLES = ['inventory-saga', 'payment-saga', 'shipping-saga'];
const PHASE_TIMEOUT_MS = 15 * 60_000;

describe('the saga under chaos', () => {
  const reports: PhaseReport[] = [];
  afterAll(() => {
    if (reports.length > 0) console.log(formatReport(reports));
  });

  /** Nothing lost or doubled, and the auditor finds nothing but the poison planted on purpose. */
  const expectSound = (report: PhaseReport, poisonPlanted = 0) => {
    expect(report.verdict.lost).toEqual([]);
    expect(report.verdict.doubled).toEqual([]);
    expect(report.verdict.wrongOutcome).toEqual([]);
    if (poisonPlanted === 0) {
      expect(report.audit.output).toMatch(/no violations/);
      expect(report.audit.exitCode).toBe(0);
    } else {
      const sections = report.audit.output.match(/^\S.* \(\d+\):$/gm);
      expect(sections).toEqual([`contract (${poisonPlanted}):`]);
      expect(report.audit.output.match(/chaos-poison-\S+ breaks the event contract/g)).toHaveLength(
        poisonPlanted,
      );
    }
  };

  it(
    'on one nats-server: every service killed once, NATS restarted, replicas, doubled deliveries, poison',
    async () => {
      const kinds = Object.keys(poisonMessages).length;
      const report = await runPhase(
        'single node',
        {
          replicas: { inventory: 2, payment: 2 },
          env: { FAULT_DUPLICATE_DELIVERY: 'true' },
        },
        (system) => [
          killAndRestart(system, 'inventory'),
          killAndRestart(system, 'order'),
          killAndRestart(system, 'payment#2'),
          killAndRestart(system, 'shipping'),
          killAndRestart(system, 'gateway'),
          restartNats(system),
          publishPoison(system.natsAccess('order')),
        ],
        profile,
        SAGA_DURABLES,
        kinds,
      );
      reports.push(report);

      expectSound(report, kinds);
      expect(Object.fromEntries(report.poison!)).toEqual(
        Object.fromEntries(SAGA_DURABLES.map((durable) => [durable, kinds])),
      );
    },
    PHASE_TIMEOUT_MS,
  );

  it(
    'on a 3-node JetStream cluster with replicated streams: one node killed mid-run',
    async () => {
      const report = await runPhase(
        '3-node cluster',
        {
          natsCluster: true,
        },
        (system) => [restartNats(system, 1)],
        profile,
      );
      reports.push(report);

      expectSound(report);
    },
    PHASE_TIMEOUT_MS,
  );
});
