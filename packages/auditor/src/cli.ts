#!/usr/bin/env node
import { ConfigError, connectNats, loadConfig } from '@orderflow/runtime';
import { auditOptionsOf, auditorConfig } from './config';
import { audit } from './invariants';
import { readLog } from './read-log';
import { formatReport } from './report';

/** 0: the log keeps every invariant; 1: it breaks at least one; 2: it could not be audited. */
const main = async (): Promise<number> => {
  const config = loadConfig(auditorConfig);
  const nats = await connectNats(config.NATS_URL, 'orderflow-audit');
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(
      error instanceof ConfigError ? reason : `orderflow-audit could not read the log: ${reason}`,
    );
    process.exitCode = 2;
  },
);
