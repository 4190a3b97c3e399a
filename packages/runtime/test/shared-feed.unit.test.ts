import { ContractViolation, streams, type Envelope } from '@orderflow/contracts';
import { sharingOneFeed, type DocumentStore, type ProjectionSpec } from '../src';

const member = (name: string, overrides: Partial<ProjectionSpec> = {}): ProjectionSpec => ({
  name,
  version: 1,
  stream: streams.order.name,
  filterSubject: 'order.events.order.*',
  collections: [{ name }],
  project: (event) => [{ collection: name, id: event.aggregateId, set: { seen: true } }],
  ...overrides,
});

const event = { aggregateId: 'o-1' } as Envelope;

describe('read models sharing one feed', () => {
  it("writes every member's changes for each event, into every member's collections", () => {
    const shared = sharingOneFeed('both', [member('addresses'), member('owners')]);

    expect(shared.collections.map((collection) => collection.name)).toEqual([
      'addresses',
      'owners',
    ]);
    expect(shared.project(event).map((change) => change.collection)).toEqual([
      'addresses',
      'owners',
    ]);
    expect(shared.stream).toBe(streams.order.name);
    expect(shared.filterSubject).toBe('order.events.order.*');
  });

  it("moves its version with any member's, so a member's change rebuilds the shared checkpoint", () => {
    const before = sharingOneFeed('both', [member('a'), member('b')]).version;
    const after = sharingOneFeed('both', [member('a'), member('b', { version: 2 })]).version;

    expect(after).toBeGreaterThan(before);
  });

  it("resumes every member that folds state, and counts every member's rejections", async () => {
    const resumed: string[] = [];
    const shared = sharingOneFeed('both', [
      member('a', { resume: async () => void resumed.push('a') }),
      member('b'),
      member('c', {
        resume: async () => void resumed.push('c'),
        rejected: () => [{ collection: 'c', id: 'refused', increment: { count: 1 } }],
      }),
    ]);

    await shared.resume?.({} as DocumentStore);
    expect(resumed).toEqual(['a', 'c']);
    expect(shared.rejected?.(new ContractViolation('bad'))).toHaveLength(1);
    expect(sharingOneFeed('plain', [member('a')]).resume).toBeUndefined();
  });

  it('refuses members that read different events, and an empty list', () => {
    expect(() =>
      sharingOneFeed('mixed', [
        member('orders'),
        member('payments', { stream: streams.payment.name, filterSubject: 'payment.events.>' }),
      ]),
    ).toThrow(/payments reads PAYMENT payment\.events\.>, orders reads ORDER/);
    expect(() => sharingOneFeed('none', [])).toThrow(/no read models/);
  });
});
