import { DomainError } from '@orderflow/contracts';
import type { GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { authenticateConnection, authenticateRequest } from '../src';

const request = { headers: { authorization: 'Bearer x' } } as IncomingMessage;

const refusalOf = async (verify: () => Promise<never>) => {
  try {
    await authenticateRequest(verify, request);
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected a refusal');
};

describe('authenticateRequest', () => {
  it('answers a refused token with 401 UNAUTHENTICATED and the reason', async () => {
    const error = await refusalOf(async () => {
      throw new DomainError('UNAUTHENTICATED', 'token expired at 2026-01-01T00:00:00Z');
    });
    expect(error.message).toBe('token expired at 2026-01-01T00:00:00Z');
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('answers a verifier that cannot work (key set unreachable) with a neutral 503', async () => {
    const error = await refusalOf(async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:443');
    });
    expect(error.message).not.toMatch(/ECONNREFUSED/);
    expect(error.extensions).toMatchObject({ code: 'AUTH_UNAVAILABLE', http: { status: 503 } });
  });
});

describe('authenticateConnection', () => {
  const params = { authorization: 'Bearer x' };

  it('passes the connection parameter to the verifier and returns its viewer', async () => {
    const viewer = { customerId: 'alice', admin: false, token: 'x' };
    const verify = jest.fn(async () => viewer);

    expect(await authenticateConnection(verify, params)).toBe(viewer);
    expect(verify).toHaveBeenCalledWith('Bearer x');
  });

  it("throws a refused token's DomainError as it is: the subscription's UNAUTHENTICATED", async () => {
    const refused = new DomainError('UNAUTHENTICATED', 'token expired at 2026-01-01T00:00:00Z');

    await expect(authenticateConnection(async () => Promise.reject(refused), params)).rejects.toBe(
      refused,
    );
  });

  it('answers a verifier that cannot work with a neutral AUTH_UNAVAILABLE', async () => {
    const refusal = authenticateConnection(
      async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:443')),
      params,
    );

    await expect(refusal).rejects.toMatchObject({
      message: 'tokens cannot be verified right now; try again shortly',
      extensions: { code: 'AUTH_UNAVAILABLE' },
    });
  });
});
