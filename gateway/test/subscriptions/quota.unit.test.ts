import { SubscriptionQuota } from '../../src/subscriptions/quota';

describe('the subscription quota', () => {
  const quota = () => new SubscriptionQuota({ perConnection: 2, perCustomer: 3 });
  const codeOf = (refusal: { extensions: Record<string, unknown> } | undefined) =>
    refusal?.extensions.code;

  it('holds a connection to its limit, and frees a place when a subscription ends', () => {
    const q = quota();
    const socket = {};
    expect(q.take(socket, 'alice', '1')).toBeUndefined();
    expect(q.take(socket, 'alice', '2')).toBeUndefined();
    const refused = q.take(socket, 'alice', '3');
    expect(codeOf(refused)).toBe('SUBSCRIPTION_LIMIT');
    expect(refused?.message).toBe(
      'a connection may hold 2 subscriptions at once; close one before opening another',
    );

    q.release(socket, 'alice', '1');
    expect(q.take(socket, 'alice', '3')).toBeUndefined();
  });

  it('holds a customer to its limit over all their connections, and lets others in', () => {
    const q = quota();
    const [a, b] = [{}, {}];
    q.take(a, 'alice', '1');
    q.take(a, 'alice', '2');
    q.take(b, 'alice', '1');

    expect(q.take(b, 'alice', '2')?.message).toMatch(/a customer may hold 3 subscriptions/);
    expect(q.take(b, 'bob', '2')).toBeUndefined();
  });

  it('frees every place of a connection that closes, and counts a release once', () => {
    const q = quota();
    const [a, b] = [{}, {}];
    q.take(a, 'alice', '1');
    q.take(a, 'alice', '2');
    q.release(a, 'alice', '2');
    q.release(a, 'alice', '2');
    q.releaseAll(a, 'alice');

    expect(q.take(b, 'alice', '1')).toBeUndefined();
    expect(q.take(b, 'alice', '2')).toBeUndefined();
    expect(q.take(b, 'alice', '3')?.message).toMatch(/a connection may hold 2/);
  });
});
