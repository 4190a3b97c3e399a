import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { aggregateFilter, decodeMessage, type Envelope } from '@orderflow/contracts';
import {
  exampleEvent,
  messagePact,
  pactsOf,
  readPact,
  verifyProvider,
  type ProviderStates,
} from '@orderflow/pact';
import type { WireMessage } from '@orderflow/runtime';
import { orderStates } from './pact-states';

const failures = (results: Awaited<ReturnType<typeof verifyProvider>>) =>
  results.flatMap(({ consumer, error }) => (error ? [`${consumer}: ${error.message}`] : []));

/** Every consumer's contract with the order stream, against what the order service publishes. */
describe('order honours its consumers’ pacts', () => {
  it('publishes every message its consumers expect', async () => {
    expect(failures(await verifyProvider('order', orderStates))).toEqual([]);
  });
});

/** The gate itself: a contract that cannot fail proves nothing. */
describe('the verification fails when the two sides part', () => {
  /** The order service as if its OrderInventoryReserved no longer carried the payment method. */
  const withoutPaymentMethod: ProviderStates = Object.fromEntries(
    Object.entries(orderStates).map(([state, run]) => [
      state,
      async (): Promise<readonly WireMessage[]> =>
        (await run()).map((message) => {
          const envelope = JSON.parse(new TextDecoder().decode(message.data)) as {
            type: string;
            data: Record<string, unknown>;
          };
          if (envelope.type !== 'OrderInventoryReserved') return message;
          delete envelope.data.paymentMethod;
          return { ...message, data: new TextEncoder().encode(JSON.stringify(envelope)) };
        }),
    ]),
  );

  it('fails a producer that drops a field its consumer reads', async () => {
    const payments = pactsOf('order').filter(({ pact }) => pact.consumer.name === 'payment');
    const results = await verifyProvider('order', withoutPaymentMethod, payments);
    expect(failures(results)).toEqual([
      expect.stringMatching(
        /^payment: .*OrderInventoryReserved.*missing the following keys: paymentMethod$/,
      ),
    ]);
  });

  it('fails a consumer that starts to expect more than the unchanged producer sends', async () => {
    const pact = messagePact('payment', 'order', aggregateFilter('order', 'order'));
    const example = exampleEvent('OrderInventoryReserved', 'ord-4711', {
      orderId: 'ord-4711',
      amount: { amount: 4200, currency: 'USD' },
      paymentMethod: 'pm_card_visa',
    });
    // A consumer reading a field the order never had: the schema would strip it, the pact may not.
    const wanting = {
      ...example.example,
      data: { ...example.example.data, installments: 3 },
    } as unknown as Envelope;
    await pact.expect(
      {
        given: 'an order whose stock is reserved',
        description: 'wanting installments',
        ...example,
        example: wanting,
      },
      async (message) => {
        decodeMessage(message.data);
      },
    );
    const results = await verifyProvider('order', orderStates, [
      { file: pact.file, pact: readPact(pact.file) },
    ]);
    rmSync(dirname(pact.file), { recursive: true, force: true });
    expect(failures(results)).toEqual([
      expect.stringMatching(/^payment: .*missing the following keys: installments$/),
    ]);
  });
});
