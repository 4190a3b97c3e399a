import { deadLetterStream, streams, subjectOf } from '@orderflow/contracts';
import { waitFor } from '@orderflow/stack';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import {
  discardDeadLetter,
  ensureStream,
  getDeadLetter,
  JetStreamEventStore,
  listDeadLetters,
  replayDeadLetter,
  runConsumer,
  type RunningConsumer,
} from '../src';
import { silentLog, startInfra, stockAdjusted, type Infra } from './harness';

describe('dead letters an operator can act on', () => {
  let infra: Infra;
  let store: JetStreamEventStore;
  let consumer: RunningConsumer | undefined;
  let broken = true;
  const handled: string[] = [];

  beforeAll(async () => {
    infra = await startInfra();
    await ensureStream(infra.nats.jsm, streams.inventory);
    await ensureStream(infra.nats.jsm, deadLetterStream);
    store = new JetStreamEventStore(infra.nats, streams.inventory.name);
    consumer = await runConsumer(
      infra.nats,
      {
        stream: streams.inventory.name,
        durable: 'fragile',
        filterSubject: 'inventory.events.product.*',
        maxDeliver: 2,
        backoffMs: [10],
        handle: async (event) => {
          if (broken) throw new Error('the warehouse system is down');
          handled.push(event.aggregateId);
        },
      },
      silentLog,
    );
  });
  afterAll(async () => {
    await consumer?.stop();
    await infra.stop();
  });

  const deadLettered = async (sku: string) => {
    await store.append(subjectOf('StockAdjusted', sku), [stockAdjusted(sku)], 0);
    let seq = 0;
    await waitFor(`${sku} to be dead-lettered`, async () => {
      const letters = await listDeadLetters(infra.nats, { durable: 'fragile' });
      seq = letters.find((letter) => letter.source.subject.endsWith(sku))?.seq ?? 0;
      return seq > 0;
    });
    return seq;
  };

  it('lists and shows a dead letter with why, how often and where from', async () => {
    const seq = await deadLettered('FIRST');

    const letter = await getDeadLetter(infra.nats, seq);
    expect(letter).toMatchObject({
      seq,
      durable: 'fragile',
      error: 'the warehouse system is down',
      deliveries: 2,
      source: { stream: 'INVENTORY', subject: 'inventory.events.product.FIRST' },
    });
    expect(JSON.parse(letter!.data)).toMatchObject({ type: 'StockAdjusted', aggregateId: 'FIRST' });
    expect(await getDeadLetter(infra.nats, 9_999)).toBeUndefined();
  });

  it('replays through the consumer: kept while it still fails, removed once handled, then gone', async () => {
    const [letter] = await listDeadLetters(infra.nats, { durable: 'fragile' });

    expect(await replayDeadLetter(infra.nats, letter!.seq)).toEqual({
      replayed: false,
      reason: 'it failed again: the warehouse system is down',
    });
    expect(await getDeadLetter(infra.nats, letter!.seq)).toBeDefined();

    broken = false;
    expect(await replayDeadLetter(infra.nats, letter!.seq)).toEqual({ replayed: true });
    expect(handled).toEqual(['FIRST']);
    expect(await getDeadLetter(infra.nats, letter!.seq)).toBeUndefined();
    expect(await replayDeadLetter(infra.nats, letter!.seq)).toEqual({
      replayed: false,
      reason: `there is no dead letter ${letter!.seq}`,
    });
  });

  it('discards a dead letter for good', async () => {
    broken = true;
    const seq = await deadLettered('SECOND');

    expect(await discardDeadLetter(infra.nats, seq)).toBe(true);
    expect(await listDeadLetters(infra.nats)).toEqual([]);
    expect(await discardDeadLetter(infra.nats, seq)).toBe(false);
  });

  it('says so when no replica of the durable runs to replay it', async () => {
    const seq = await deadLettered('THIRD');
    await consumer!.stop();
    consumer = undefined;

    const outcome = await replayDeadLetter(infra.nats, seq, 1_000);

    expect(outcome).toMatchObject({ replayed: false });
    expect(outcome.replayed === false && outcome.reason).toMatch(
      /no running consumer fragile answered .*start its service and replay again/,
    );
    expect(await getDeadLetter(infra.nats, seq)).toBeDefined();
  });

  it('does the same from the command line', async () => {
    const seq = (await listDeadLetters(infra.nats)).at(-1)!.seq;
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [resolve(__dirname, '../dist/cli/dead-letters.js'), ...args], {
        env: { ...process.env, NATS_URL: infra.servers.nats.url },
        encoding: 'utf8',
        timeout: 30_000,
      });

    const list = cli('list', '--durable', 'fragile');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${seq}.*fragile.*inventory.events.product.THIRD`));
    const show = cli('show', String(seq));
    expect(JSON.parse(show.stdout)).toMatchObject({ seq, error: 'the warehouse system is down' });
    expect(cli('discard', String(seq))).toMatchObject({ status: 0, stdout: 'discarded\n' });
    expect(cli('discard', String(seq)).status).toBe(1);
    const wrong = cli('replay', 'latest');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/expected a dead letter's sequence number, not latest\nusage:/);
  });
});
