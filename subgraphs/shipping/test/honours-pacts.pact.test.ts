import { verifyProvider } from '@orderflow/pact';
import { shippingStates } from './pact-states';

/** Every consumer's contract with the shipping stream, against what shipping publishes. */
describe('shipping honours its consumers’ pacts', () => {
  it('publishes every message its consumers expect', async () => {
    const results = await verifyProvider('shipping', shippingStates);
    expect(results.map(({ consumer, error }) => [consumer, error?.message])).toEqual(
      results.map(({ consumer }) => [consumer, undefined]),
    );
  });
});
