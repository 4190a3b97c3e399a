import { explainWatchEnd } from '../src/watch-outcome';

describe('how npm run watch explains its end', () => {
  const where = { gateway: 'http://127.0.0.1:4000/graphql (set by GATEWAY_URL)', orderId: 'o-1' };

  it.each([
    [{ code: 4403, reason: 'Forbidden' }, '4403 Forbidden'],
    [{ code: 4401, reason: 'Unauthorized' }, '4401 Unauthorized'],
    [[{ message: 'no token', extensions: { code: 'UNAUTHENTICATED' } }], 'UNAUTHENTICATED'],
  ])('a refused token (%j): says why and how to get one, exit 2', (failure, why) => {
    const { message, exitCode } = explainWatchEnd(failure, where);
    expect(message).toMatch(
      new RegExp(`^the gateway refused the token \\(${why}\\): .*npm run -s token`),
    );
    expect(exitCode).toBe(2);
  });

  it('a missing order, or another customer’s: says so, exit 1', () => {
    const { message, exitCode } = explainWatchEnd(
      [{ message: 'there is no order o-1', extensions: { code: 'NOT_FOUND' } }],
      where,
    );
    expect(message).toMatch(/^there is no order o-1 that this token may see: it does not exist/);
    expect(exitCode).toBe(1);
  });

  it('a token without the right: says which, exit 2', () => {
    const { message, exitCode } = explainWatchEnd(
      [{ message: 'metricsUpdated needs the admin scope', extensions: { code: 'FORBIDDEN' } }],
      where,
    );
    expect(message).toMatch(/^the token does not allow this \(FORBIDDEN\): metricsUpdated needs/);
    expect(exitCode).toBe(2);
  });

  it('no gateway: says where it looked, exit 2', () => {
    const { message, exitCode } = explainWatchEnd(new Error('connect ECONNREFUSED'), where);
    expect(message).toBe(
      'could not reach the gateway at http://127.0.0.1:4000/graphql (set by GATEWAY_URL): ' +
        'connect ECONNREFUSED; is the system running?',
    );
    expect(exitCode).toBe(2);
  });

  it('a gateway shutting down, or another error: says what came, exit 1', () => {
    expect(explainWatchEnd({ code: 1001, reason: 'going away' }, where)).toEqual({
      message: `the gateway at ${where.gateway} shut down (1001 going away)`,
      exitCode: 1,
    });
    expect(
      explainWatchEnd([{ message: 'upstream closed', extensions: { code: 'X' } }], where),
    ).toEqual({ message: 'the gateway ended the watch: upstream closed', exitCode: 1 });
  });
});
