import { GraphQLError } from 'graphql';
import { runInNewContext } from 'node:vm';
import { loggableError, loggableFields } from '../src/log-fields';

/** Any stack: where the test itself runs is not the point. */
const aStack = expect.stringMatching(/\n\s+at /) as unknown;

/** What the record holds once written: JSON through and through. */
const written = (fields: Record<string, unknown>) =>
  JSON.parse(JSON.stringify(loggableFields(fields))) as Record<string, unknown>;

describe('the fields of a log record', () => {
  it('writes an Error with its name, message, stack and code', () => {
    const error = Object.assign(new TypeError('not a function'), { code: 'E_NOT_CALLABLE' });

    expect(written({ error })).toEqual({
      error: {
        name: 'TypeError',
        message: 'not a function',
        stack: error.stack,
        code: 'E_NOT_CALLABLE',
      },
    });
    expect(error.stack).toMatch(/^TypeError: not a function\n\s+at /);
  });

  it('follows the cause chain, each cause with its own stack', () => {
    const root = new Error('connection refused');
    const middle = new Error('the read model does not answer', { cause: root });
    const top = new Error('could not load the order', { cause: middle });

    expect(written({ error: top })).toEqual({
      error: {
        name: 'Error',
        message: 'could not load the order',
        stack: top.stack,
        cause: {
          name: 'Error',
          message: 'the read model does not answer',
          stack: middle.stack,
          cause: { name: 'Error', message: 'connection refused', stack: root.stack },
        },
      },
    });
  });

  it("writes each of an AggregateError's errors", () => {
    const aggregate = new AggregateError(
      [new Error('replica 1 is away'), 'replica 2 said no', { code: 503 }],
      'no replica answered',
    );

    expect(written({ error: aggregate })).toEqual({
      error: {
        name: 'AggregateError',
        message: 'no replica answered',
        stack: aggregate.stack,
        errors: [
          { name: 'Error', message: 'replica 1 is away', stack: aStack },
          'replica 2 said no',
          { code: 503 },
        ],
      },
    });
  });

  it('keeps thrown values that are not Errors as they were thrown, causes included', () => {
    expect(
      written({
        thrownString: 'disk full',
        thrownNumber: 42,
        thrownNull: null,
        thrownObject: { reason: 'nope', nested: new RangeError('out of range') },
        error: new Error('wrapped', { cause: 'a string cause' }),
      }),
    ).toEqual({
      thrownString: 'disk full',
      thrownNumber: 42,
      thrownNull: null,
      thrownObject: {
        reason: 'nope',
        nested: { name: 'RangeError', message: 'out of range', stack: aStack },
      },
      error: {
        name: 'Error',
        message: 'wrapped',
        stack: aStack,
        cause: 'a string cause',
      },
    });
  });

  it('finds Errors anywhere: in arrays and nested objects', () => {
    const { failures } = written({
      failures: [{ subgraph: 'payment', error: new Error('timed out') }],
    }) as { failures: { subgraph: string; error: { message: string; stack: string } }[] };

    expect(failures[0]!.subgraph).toBe('payment');
    expect(failures[0]!.error).toMatchObject({ message: 'timed out', stack: aStack });
  });

  it("writes a GraphQLError's path, extensions and the error it wraps", () => {
    const thrown = new Error('the resolver broke');
    const error = new GraphQLError('the resolver broke', {
      path: ['order', 'payment'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      originalError: thrown,
    });

    expect(loggableError(error)).toMatchObject({
      name: 'GraphQLError',
      path: ['order', 'payment'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      originalError: { message: 'the resolver broke', stack: thrown.stack },
    });
  });

  it('recognizes an Error from another realm, which fails instanceof', () => {
    const foreign: unknown = runInNewContext('new Error("from a sandbox")');
    expect(foreign instanceof Error).toBe(false);

    expect(written({ error: foreign })).toEqual({
      error: { name: 'Error', message: 'from a sandbox', stack: aStack },
    });
  });

  it('stops at a cycle instead of looping, but writes an Error seen twice side by side', () => {
    const looping = new Error('caused by itself');
    (looping as { cause?: unknown }).cause = looping;
    const shared = new Error('told twice');

    const fields = written({ looping, first: shared, second: shared });

    expect(fields.looping).toMatchObject({ message: 'caused by itself', cause: '[Circular]' });
    expect(fields.first).toEqual(fields.second);
  });

  it('cuts a cause chain that runs absurdly deep short, keeping the message', () => {
    let error = new Error('level 0');
    for (let level = 1; level <= 50; level++) error = new Error(`level ${level}`, { cause: error });

    const text = JSON.stringify(loggableFields({ error }));

    expect(text).toContain('"level 40"');
    expect(text).not.toContain('"level 0"');
  });

  it('passes correlation and trace ids through as they are given', () => {
    const ids = { correlationId: 'order-1', causationId: 'event-7', traceId: '4bf92f3577b34da6' };
    expect(written(ids)).toEqual(ids);
  });
});
