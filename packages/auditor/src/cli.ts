#!/usr/bin/env node
import '@orderflow/auth/dist/node-version';
import { connectNats, loadConfig, runCommand } from '@orderflow/runtime';
import { auditOptionsOf, auditorConfig } from './config';
import { audit } from './invariants';
import { readLog } from './read-log';
import { formatReport } from './report';

/** 0: the log keeps every invariant; 1: it breaks at least one; 2: it could not be audited. */
const main = async (): Promise<number> => {
  const config = loadConfig(auditorConfig);
  const nats = await connectNats(config, 'orderflow-audit');
  try {
    const log = await readLog(nats);
    const report = audit(log.events, auditOptionsOf(config, new Date()));
    const violations = [...log.violations, ...report.violations];
    console.log(formatReport({ ...report, violations }));
    return violations.length === 0 ? 0 : 1;
  } finally {
    await nats.connection.close();
  }
};

runCommand(main, { failure: 'orderflow-audit could not read the log' });
