import { createLogger, type Level, type Logger } from '../log';

/** One record as a collector reads it. */
export interface LogRecord {
  readonly time: string;
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** An Error as a record holds it (log-fields.ts). */
export interface LoggedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string | number;
  readonly cause?: unknown;
  readonly [property: string]: unknown;
}

export interface CapturedLog {
  readonly log: Logger;
  /** Every record written so far, parsed, in order. */
  readonly records: LogRecord[];
  /** The records at `level`. */
  at(level: Level): LogRecord[];
}

/**
 * A logger whose records a test reads back, parsed from the very JSON lines the process would
 * write: what the tests assert is what a collector gets.
 */
export const captureLog = (
  base: Record<string, unknown> = {},
  level: Level = 'debug',
): CapturedLog => {
  const records: LogRecord[] = [];
  return {
    log: createLogger(base, level, (line) => records.push(JSON.parse(line) as LogRecord)),
    records,
    at: (wanted) => records.filter((record) => record.level === wanted),
  };
};
