import { verifyProvider } from '@orderflow/pact';
import { ingestStates } from './pact-states';

/** Analytics' contract with its own ingestion, against what ingestion puts on CLICKSTREAM. */
describe('analytics ingestion honours its consumers’ pacts', () => {
  it('publishes every message its consumers expect', async () => {
    const results = await verifyProvider('analytics-ingest', ingestStates);
    expect(results.map(({ consumer, error }) => [consumer, error?.message])).toEqual(
      results.map(({ consumer }) => [consumer, undefined]),
    );
  });
});
