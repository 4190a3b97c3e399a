import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { loggableFields } from './log-fields';

/**
 * Structured logs through pino: one JSON object per line on stdout, which collectors parse and
 * people grep; `{"level":"error","time":"…","service":"order","msg":"…",…fields}`. Errors in the
 * fields keep their stack and causes (log-fields.ts). `pretty` is for a person at a terminal.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';

export type LogFormat = 'json' | 'pretty';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Where records go: stdout as JSON (the default) or as pretty lines; or, in tests, each record to
 * a function (without its line break), as JSON or pretty.
 */
export type LogOutput =
  | LogFormat
  | ((record: string) => void)
  | { readonly format: LogFormat; readonly write: (record: string) => void };

/** The keys every record has; a field of the same name is kept under `_<name>`, not lost. */
const RECORD_KEYS = new Set(['time', 'level', 'msg']);

const fieldsOf = (fields: Readonly<Record<string, unknown>>) => {
  const loggable = loggableFields(fields);
  if (!Object.keys(loggable).some((key) => RECORD_KEYS.has(key))) return loggable;
  return Object.fromEntries(
    Object.entries(loggable).map(([key, value]) => [RECORD_KEYS.has(key) ? `_${key}` : key, value]),
  );
};

/**
 * One synchronous stdout for every logger of the process: a record logged just before
 * `process.exit` (a failed start) is written, not left in a buffer.
 */
let stdout: DestinationStream | undefined;
const processStdout = () => (stdout ??= pino.destination({ dest: 1, sync: true }));

const prettyLines = () =>
  prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    // The service leads the line; pid and hostname are not written at all.
    messageFormat: '{if service}{service}: {end}{msg}',
    ignore: 'service',
    errorLikeObjectKeys: ['error', 'err', 'reason'],
  });

const destinationFor = (output: LogOutput): DestinationStream => {
  const { format, write } =
    typeof output === 'string'
      ? { format: output, write: undefined }
      : typeof output === 'function'
        ? { format: 'json' as const, write: output }
        : output;
  const render = format === 'pretty' ? prettyLines() : (line: string) => line;
  if (write) return { write: (line) => write(render(line).replace(/\n$/, '')) };
  if (format === 'json') return processStdout();
  return { write: (line) => processStdout().write(render(line)) };
};

const wrap = (logger: Pino<never>): Logger => {
  const at =
    (level: Level) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      // Checked first: a debug record's fields are not walked unless it is written.
      if (!logger.isLevelEnabled(level)) return;
      // msg is a field rather than pino's message argument so that it comes before the fields.
      logger[level]({ msg, ...fieldsOf(fields) });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(logger.child(fieldsOf(fields))),
  };
};

export const createLogger = (
  base: Record<string, unknown>,
  minLevel: Level = 'info',
  output: LogOutput = 'json',
): Logger =>
  wrap(
    pino(
      {
        level: minLevel,
        base: fieldsOf(base),
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        // Fields are made loggable above; pino's own `err` serializer would redo it differently.
        serializers: {},
      },
      destinationFor(output),
    ),
  );
