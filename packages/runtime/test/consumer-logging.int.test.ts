import { deadLetterStream, streams, subjectOf } from '@orderflow/contracts';
import { waitFor } from '@orderflow/stack';
import { ensureStream, JetStreamEventStore, runConsumer, type RunningConsumer } from '../src';
import { captureLog, type LoggedError, type LogRecord } from '../src/testing';
import { startInfra, stockAdjusted, type Infra } from './harness';

/** A consumer's failures reach its log as records a person can act on: the stack, the cause. */
describe('a consumer whose handler throws', () => {
  let infra: Infra;
  let store: JetStreamEventStore;
  const running: RunningConsumer[] = [];

  beforeAll(async () => {
    infra = await startInfra();
    await ensureStream(infra.nats.jsm, streams.inventory);
    await ensureStream(infra.nats.jsm, deadLetterStream);
    store = new JetStreamEventStore(infra.nats, streams.inventory.name);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  });
  afterAll(() => infra.stop());

  const failing = (sku: string) => () => {
    throw new Error(`cannot reserve ${sku}`, { cause: new Error('the read model is locked') });
  };

  const recordsWith = (records: LogRecord[], msg: string) =>
    records.filter((record) => record.msg === msg);

  it('logs each failed delivery with the error, its stack and its cause', async () => {
    const { log, records } = captureLog({ service: 'inventory' });
    let deliveries = 0;
    running.push(
      await runConsumer(
        infra.nats,
        {
          stream: streams.inventory.name,
          durable: 'logging-retry',
          filterSubject: subjectOf('StockAdjusted', 'LOGGED-RETRY'),
          backoffMs: [10],
          handle: async () => {
            if (++deliveries === 1) failing('LOGGED-RETRY')();
          },
        },
        log,
      ),
    );

    await store.append(
      subjectOf('StockAdjusted', 'LOGGED-RETRY'),
      [stockAdjusted('LOGGED-RETRY')],
      0,
    );

    await waitFor('the retry to succeed', () => deliveries === 2);
    const [failure, ...more] = recordsWith(records, 'handler failed; will retry');
    expect(more).toEqual([]);
    expect(failure).toMatchObject({
      level: 'warn',
      service: 'inventory',
      consumer: 'logging-retry',
      type: 'StockAdjusted',
      deliveryCount: 1,
    });
    const error = failure!.error as LoggedError;
    expect(error).toMatchObject({
      name: 'Error',
      message: 'cannot reserve LOGGED-RETRY',
      cause: { message: 'the read model is locked' },
    });
    expect(error.stack).toMatch(/^Error: cannot reserve LOGGED-RETRY\n\s+at /);
    expect((error.cause as LoggedError).stack).toMatch(/\n\s+at /);
  });

  it('logs the last failure, with its stack, as it dead-letters the message', async () => {
    const { log, records } = captureLog({ service: 'inventory' });
    running.push(
      await runConsumer(
        infra.nats,
        {
          stream: streams.inventory.name,
          durable: 'logging-dead',
          filterSubject: subjectOf('StockAdjusted', 'LOGGED-DEAD'),
          maxDeliver: 1,
          handle: async () => failing('LOGGED-DEAD')(),
        },
        log,
      ),
    );

    await store.append(
      subjectOf('StockAdjusted', 'LOGGED-DEAD'),
      [stockAdjusted('LOGGED-DEAD')],
      0,
    );

    await waitFor(
      'the dead letter to be logged',
      () => recordsWith(records, 'dead-lettered').length > 0,
    );
    const [deadLettered] = recordsWith(records, 'dead-lettered');
    expect(deadLettered).toMatchObject({ level: 'warn', consumer: 'logging-dead' });
    expect(deadLettered!.reason).toMatchObject({
      message: 'cannot reserve LOGGED-DEAD',
      stack: expect.stringMatching(/^Error: cannot reserve LOGGED-DEAD\n\s+at /) as unknown,
      cause: { message: 'the read model is locked' },
    });
  });
});
