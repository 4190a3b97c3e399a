#!/usr/bin/env node
import '@orderflow/auth/dist/node-version';
import { runCommand } from '@orderflow/runtime';
import { auditOptionsOf, auditorConfig } from './config';
import { connectToSystem } from './connect';
import { audit } from './invariants';
import { eventStreams, readLog } from './read-log';
import { formatReport } from './report';

/**
 * 0: the log keeps every invariant; 1: it breaks at least one; 2: it could not be audited,
 * which includes a log with nothing in it: an audit of nothing proves nothing, and an empty log
 * is more likely the wrong NATS than a system that never ran.
 */
const main = async (): Promise<number> => {
  const { config, nats, where } = await connectToSystem(
    auditorConfig,
    'auditor',
    'orderflow-audit',
  );
  try {
    const log = await readLog(nats);
    if (log.events.length === 0 && log.violations.length === 0) {
      console.error(
        `orderflow-audit read no events: ${eventStreams.join(', ')} are empty or missing on ` +
          `${where}. Nothing was audited; point NATS_URL at the system's NATS, or start it ` +
          'with npm start.',
      );
      return 2;
    }
    const report = audit(log.events, auditOptionsOf(config, new Date()));
    const violations = [...log.violations, ...report.violations];
    console.log(formatReport({ ...report, violations }));
    return violations.length === 0 ? 0 : 1;
  } finally {
    await nats.connection.close();
  }
};

runCommand(main, { failure: 'orderflow-audit could not read the log' });
