import { headers } from '@nats-io/transport-node';
import { deadLetterStream, encodeEnvelope, subjectOf } from '@orderflow/contracts';
import { connectNats, ensureStream, type Nats } from '@orderflow/runtime';
import { startTestInfra, type TestInfra } from '@orderflow/stack';
import { readOrder } from '../src';
import { appendLog, createStreams } from './append-log';
import { lines, outcomes, stocked } from './saga-outcomes';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('readOrder on a real JetStream', () => {
  let infra: TestInfra;
  let nats: Nats;

  beforeAll(async () => {
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'read-order-int-test');
    await createStreams(nats);
    await ensureStream(nats.jsm, deadLetterStream);
  });
  afterAll(async () => {
    await nats.connection.close();
    await infra.stop();
  });

  /** A consumer giving up on a message of `subject`, as publishDeadLetter writes it. */
  const deadLetter = (durable: string, subject: string, data: Uint8Array) => {
    const h = headers();
    h.set('traceparent', TRACEPARENT);
    h.set('Orderflow-Error', 'provider unavailable');
    h.set('Orderflow-Source-Stream', 'ORDER');
    h.set('Orderflow-Source-Subject', subject);
    h.set('Orderflow-Source-Seq', '1');
    h.set('Orderflow-Deliveries', '5');
    return nats.js.publish(`deadletter.${durable}`, data, { headers: h });
  };

  it('reads the order’s subjects, its stock movements and its dead letters, no other order’s', async () => {
    const h = stocked();
    // Another order on the same products, before and after: its stock moves are not this one's.
    outcomes['a declined payment']!(h);
    h.place('done', lines).reserve('done').capture('done');
    outcomes['a customer cancelling after capture']!(h);
    await appendLog(nats, h.events);
    // One event carries the trace it was published in.
    const shipped = h.add('ShipmentDispatched', 'done', {
      orderId: 'done',
      carrier: 'sim',
      trackingNumber: 'T-1',
    });
    const traced = headers();
    traced.set('traceparent', TRACEPARENT);
    await nats.js.publish(subjectOf('ShipmentDispatched', 'done'), encodeEnvelope(shipped), {
      headers: traced,
    });
    const orderCreated = h.events.find(
      ({ type, aggregateId }) => type === 'OrderCreated' && aggregateId === 'done',
    )!;
    await deadLetter(
      'payment-saga',
      subjectOf('OrderCreated', 'done'),
      encodeEnvelope(orderCreated),
    );
    await deadLetter(
      'payment-saga',
      subjectOf('OrderCreated', 'regret'),
      new TextEncoder().encode('{}'),
    );

    const log = await readOrder(nats, 'done');

    const expected = h.events.filter(({ correlationId }) => correlationId === 'done');
    expect(log.events.map(({ event }) => event.id).sort()).toEqual(
      expected.map(({ id }) => id).sort(),
    );
    expect(log.events.map(({ event }) => event.type)).toEqual(
      expect.arrayContaining(['StockReserved', 'InventoryReserved', 'PaymentCaptured']),
    );
    expect(log.events.find(({ event }) => event.id === shipped.id)?.traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(log.events.find(({ event }) => event.type === 'OrderCreated')?.traceId).toBeUndefined();
    expect(log.unreadable).toEqual([]);
    expect(log.deadLetters).toEqual([
      {
        letter: expect.objectContaining({ durable: 'payment-saga', deliveries: 5 }) as unknown,
        original: { id: orderCreated.id, type: 'OrderCreated' },
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      },
    ]);
  });

  it('reads nothing of an order the log does not hold', async () => {
    expect(await readOrder(nats, 'nobody')).toEqual({
      events: [],
      unreadable: [],
      deadLetters: [],
    });
  });
});
