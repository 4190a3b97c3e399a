import { deadLetterStream, deadLetterSubject, streams, subjectOf } from '@orderflow/contracts';
import { waitFor } from '@orderflow/stack';
import { ensureStream, JetStreamEventStore, runConsumer, type RunningConsumer } from '../src';
import { silentLog, startInfra, stockAdjusted, type Infra } from './harness';

describe('runConsumer on a real JetStream', () => {
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
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  afterAll(() => infra.stop());

  const publish = (sku: string) =>
    store.append(subjectOf('StockAdjusted', sku), [stockAdjusted(sku)], 0);

  const deadLetters = async (durable: string) => {
    const info = await infra.nats.jsm.streams.info(deadLetterStream.name, {
      subjects_filter: deadLetterSubject(durable),
    });
    return info.state.subjects?.[deadLetterSubject(durable)] ?? 0;
  };

  it('redelivers a message whose handler threw, and acks it once the handler succeeds', async () => {
    const attempts: number[] = [];
    running.push(
      await runConsumer(
        infra.nats,
        {
          stream: streams.inventory.name,
          durable: 'retrying',
          filterSubject: subjectOf('StockAdjusted', 'RETRY'),
          backoffMs: [10],
          handle: async (_event, delivery) => {
            attempts.push(delivery.deliveryCount);
            if (delivery.deliveryCount < 3) throw new Error('transient');
          },
        },
        silentLog,
      ),
    );

    await publish('RETRY');

    await waitFor('three deliveries', () => attempts.length === 3);
    expect(attempts).toEqual([1, 2, 3]);
    await waitFor('the ack to settle', async () => {
      const info = await infra.nats.jsm.consumers.info(streams.inventory.name, 'retrying');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    expect(await deadLetters('retrying')).toBe(0);
  });

  it('dead-letters after the last delivery and keeps consuming what comes next', async () => {
    const handled: string[] = [];
    running.push(
      await runConsumer(
        infra.nats,
        {
          stream: streams.inventory.name,
          durable: 'poisoned',
          filterSubject: 'inventory.events.product.*',
          maxDeliver: 3,
          backoffMs: [10],
          handle: async (event) => {
            if (event.aggregateId === 'POISON') throw new Error('cannot handle this one');
            handled.push(event.aggregateId);
          },
        },
        silentLog,
      ),
    );

    await publish('POISON');
    await waitFor('the poison message in the dead-letter stream', async () => {
      return (await deadLetters('poisoned')) === 1;
    });
    await publish('HEALTHY');

    await waitFor('the next message to be handled', () => handled.includes('HEALTHY'));
    const dead = await infra.nats.jsm.streams.getMessage(deadLetterStream.name, {
      last_by_subj: deadLetterSubject('poisoned'),
    });
    expect(dead?.header.get('Orderflow-Error')).toBe('cannot handle this one');
    expect(dead?.header.get('Orderflow-Deliveries')).toBe('3');
  });

  it('dead-letters events appended after others on their subject, one after another', async () => {
    // An append carries Nats-Expected-Last-Subject-Sequence; the dead-letter copy must not, or
    // JetStream refuses it as soon as the dead-letter subject has a message of its own.
    running.push(
      await runConsumer(
        infra.nats,
        {
          stream: streams.inventory.name,
          durable: 'exhausted',
          filterSubject: subjectOf('StockAdjusted', 'EXHAUSTED'),
          maxDeliver: 2,
          backoffMs: [10],
          handle: async () => {
            throw new Error('always fails');
          },
        },
        silentLog,
      ),
    );
    const subject = subjectOf('StockAdjusted', 'EXHAUSTED');
    // So the stream's sequences never happen to match the dead-letter subject's.
    await publish('SPACER');
    const first = await store.append(subject, [stockAdjusted('EXHAUSTED')], 0);
    await store.append(subject, [stockAdjusted('EXHAUSTED')], first);

    await waitFor('both exhausted messages in the dead-letter stream', async () => {
      return (await deadLetters('exhausted')) === 2;
    });
    await waitFor('nothing left unacknowledged', async () => {
      const info = await infra.nats.jsm.consumers.info(streams.inventory.name, 'exhausted');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
  });

  it('dead-letters a message that breaks the contract without calling the handler', async () => {
    const handled: string[] = [];
    running.push(
      await runConsumer(
        infra.nats,
        {
          stream: streams.inventory.name,
          durable: 'strict',
          filterSubject: 'inventory.events.product.*',
          handle: async (event) => {
            handled.push(event.aggregateId);
          },
        },
        silentLog,
      ),
    );

    await infra.nats.js.publish('inventory.events.product.GARBAGE', '{"type":"Nope"}');
    await publish('AFTER-GARBAGE');

    await waitFor('the valid message to be handled', () => handled.includes('AFTER-GARBAGE'));
    await waitFor('the garbage in the dead-letter stream', async () => {
      return (await deadLetters('strict')) === 1;
    });
    expect(handled).not.toContain('GARBAGE');
  });

  it('handles each message twice before its ack when duplicate deliveries are injected', async () => {
    const seen: [string, number][] = [];
    running.push(
      await runConsumer(
        infra.nats,
        {
          stream: streams.inventory.name,
          durable: 'doubled',
          filterSubject: subjectOf('StockAdjusted', 'TWICE'),
          duplicateDeliveries: true,
          handle: async (event, delivery) => {
            seen.push([event.id, delivery.deliveryCount]);
          },
        },
        silentLog,
      ),
    );

    await publish('TWICE');

    await waitFor('two runs of the handler', () => seen.length === 2);
    expect(seen[0]![0]).toBe(seen[1]![0]);
    expect(seen.map(([, count]) => count)).toEqual([1, 2]);
  });
});
