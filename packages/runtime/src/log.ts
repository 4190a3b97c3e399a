/** JSON lines on stdout: one record per line, easy for people to grep and for collectors to parse. */
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const serialize = (value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message } : value;

export const createLogger = (
  base: Record<string, unknown>,
  minLevel: Level = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger => {
  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (rank[level] < rank[minLevel]) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level, ...base, msg };
    for (const [key, value] of Object.entries(fields)) record[key] = serialize(value);
    write(JSON.stringify(record));
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }, minLevel, write),
  };
};
