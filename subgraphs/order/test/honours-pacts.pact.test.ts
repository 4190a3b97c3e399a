import { verifyProvider } from '@orderflow/pact';
import { orderStates } from './pact-states';

/** Every consumer's contract with the order stream, against what the order service publishes. */
describe('order honours its consumers’ pacts', () => {
  it('publishes every message its consumers expect', async () => {
    const results = await verifyProvider('order', orderStates);
    expect(results.map(({ consumer, error }) => [consumer, error?.message])).toEqual(
      results.map(({ consumer }) => [consumer, undefined]),
    );
  });
});
