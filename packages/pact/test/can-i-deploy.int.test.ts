import { canIDeploy } from '../src/can-i-deploy';
import { serviceRevision } from '../src/revisions';

/** The last commit before any pact: its order service never verified one. */
const BEFORE_PACTS = '54e81e92fed5740e8401435dad5cfaddce571443';

describe('can-i-deploy, from the pacts and verifications in the repository', () => {
  it('says no when the provider revision it would meet never verified the pact', () => {
    const answers = canIDeploy('payment', undefined, { order: BEFORE_PACTS }, 'staging');
    const edge = answers.find((answer) => answer.provider === 'order');
    expect(edge).toMatchObject({ consumer: 'payment', verified: false });
    expect(edge?.reason).toMatch(
      /^payment's pact at working tree \(\w{16}\) has not been verified by order at 54e81e92fed5/,
    );
  });

  it('does not hold a deployment back for a side that is not deployed yet', () => {
    const answers = canIDeploy('payment', undefined, {}, 'staging');
    expect(answers.find((answer) => answer.provider === 'order')).toEqual({
      consumer: 'payment',
      provider: 'order',
      verified: true,
      reason: 'order is not deployed to staging',
    });
  });

  it('names a service revision by its sources, so commits elsewhere keep it', () => {
    expect(serviceRevision('order', BEFORE_PACTS)).toMatch(/^[0-9a-f]{16}$/);
    expect(serviceRevision('order', BEFORE_PACTS)).not.toBe(serviceRevision('order', undefined));
    // A commit that changed only analytics, and its parent.
    expect(serviceRevision('order', 'a57fa201c04403783ace9ea611313eeb4fc463d6')).toBe(
      serviceRevision('order', 'a57fa201c04403783ace9ea611313eeb4fc463d6~1'),
    );
    expect(serviceRevision('analytics', 'a57fa201c04403783ace9ea611313eeb4fc463d6')).not.toBe(
      serviceRevision('analytics', 'a57fa201c04403783ace9ea611313eeb4fc463d6~1'),
    );
  });
});
