import { baseConfig, ConfigError, createLogger, loadConfig } from '../src';
import { captureLog } from '../src/testing';

describe('a logger', () => {
  it('writes one JSON object per line: time, level as a word, service, msg, then the fields', () => {
    const lines: string[] = [];
    const log = createLogger({ service: 'order' }, 'info', (line) => lines.push(line));

    log.info('order placed', { orderId: 'o-1', lines: 2 });

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      service: 'order',
      msg: 'order placed',
      orderId: 'o-1',
      lines: 2,
    });
    // Read by people too: the message comes before whatever fields follow it.
    expect(lines[0]!.indexOf('"msg"')).toBeLessThan(lines[0]!.indexOf('"orderId"'));
  });

  it('writes nothing below its level, and every level at or above it', () => {
    const { log, records } = captureLog({}, 'warn');

    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');

    expect(records.map(({ level, msg }) => [level, msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
  });

  it("adds a child's fields to each of its records, and an Error's stack and cause", () => {
    const { log, records } = captureLog({ service: 'inventory' });
    const cause = new Error('the store is read-only');

    log.child({ consumer: 'order-saga' }).error('handler failed', {
      error: new Error('could not reserve', { cause }),
    });

    expect(records).toEqual([
      expect.objectContaining({
        level: 'error',
        service: 'inventory',
        consumer: 'order-saga',
        msg: 'handler failed',
        error: expect.objectContaining({
          message: 'could not reserve',
          stack: expect.stringContaining('could not reserve') as unknown,
          cause: expect.objectContaining({
            message: 'the store is read-only',
            stack: cause.stack,
          }) as unknown,
        }) as unknown,
      }),
    ]);
  });

  it('passes correlationId, causationId and traceId through as given', () => {
    const { log, records } = captureLog({ service: 'payment' });
    const ids = { correlationId: 'order-9', causationId: 'evt-3', traceId: 'ab12' };

    log.child({ traceId: ids.traceId }).info('captured', {
      correlationId: ids.correlationId,
      causationId: ids.causationId,
    });

    expect(records[0]).toMatchObject(ids);
  });

  it("keeps a field named like a record key under another name, not over the record's own", () => {
    const { log, records } = captureLog();

    log.info('the message', { msg: 'a field', level: 3, time: 'then' });

    expect(records[0]).toMatchObject({ msg: 'the message', level: 'info' });
    expect(records[0]).toMatchObject({ _msg: 'a field', _level: 3, _time: 'then' });
  });

  it('writes pretty lines for a person, with the service, the message and the stack', () => {
    const lines: string[] = [];
    const log = createLogger({ service: 'shipping' }, 'info', {
      format: 'pretty',
      write: (line) => lines.push(line),
    });

    log.error('carrier call failed', { error: new Error('socket hang up'), shipmentId: 's-4' });

    const text = lines.join('\n');
    expect(text).toMatch(/ERROR.*shipping: carrier call failed/);
    expect(text).toContain('socket hang up');
    expect(text).toMatch(/\n\s+at /);
    expect(text).toContain('s-4');
    expect(() => JSON.parse(lines[0]!) as unknown).toThrow();
  });
});

describe('LOG_FORMAT', () => {
  const load = (env: Record<string, string>) => loadConfig(baseConfig, env).LOG_FORMAT;

  it('is json unless pretty is asked for', () => {
    expect(load({})).toBe('json');
    expect(load({ LOG_FORMAT: 'pretty' })).toBe('pretty');
  });

  it('refuses anything else at start, naming the variable and the choices', () => {
    expect(() => load({ LOG_FORMAT: 'fancy' })).toThrow(ConfigError);
    expect(() => load({ LOG_FORMAT: 'fancy' })).toThrow(
      /LOG_FORMAT: expected json \(the default\) or pretty/,
    );
  });
});
