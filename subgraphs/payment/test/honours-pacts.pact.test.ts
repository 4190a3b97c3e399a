import { verifyProvider } from '@orderflow/pact';
import { paymentStates } from './pact-states';

/** Every consumer's contract with the payment stream, against what payment publishes. */
describe('payment honours its consumers’ pacts', () => {
  it('publishes every message its consumers expect', async () => {
    const results = await verifyProvider('payment', paymentStates);
    expect(results.map(({ consumer, error }) => [consumer, error?.message])).toEqual(
      results.map(({ consumer }) => [consumer, undefined]),
    );
  });
});
