import { verifyProvider } from '@orderflow/pact';
import { inventoryStates } from './pact-states';

/** Every consumer's contract with the inventory stream, against what inventory publishes. */
describe('inventory honours its consumers’ pacts', () => {
  it('publishes every message its consumers expect', async () => {
    const results = await verifyProvider('inventory', inventoryStates);
    expect(results.map(({ consumer, error }) => [consumer, error?.message])).toEqual(
      results.map(({ consumer }) => [consumer, undefined]),
    );
  });
});
