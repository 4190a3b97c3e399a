import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@orderflow/contracts';
import { sign } from 'jsonwebtoken';
import { authConfig, createVerifier, type VerifyAuthorization } from '../src';

/** An identity provider's key pair, published as a JWK under `kid`. */
const keyPair = (kid: string) => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { kid, publicKey, privateKey, jwk };
};

const signed = (
  { kid, privateKey }: { kid: string; privateKey: KeyObject },
  claims: object = { sub: 'alice', scope: 'admin' },
) =>
  `Bearer ${sign(claims, privateKey, {
    algorithm: 'RS256',
    keyid: kid,
    expiresIn: 60,
    issuer: 'https://id.example',
  })}`;

describe('verifying RS256 tokens against a JWKS endpoint (AUTH_JWKS_URL)', () => {
  const provider = keyPair('key-1');
  const stranger = keyPair('key-2');
  let server: Server;
  let keySetFetches = 0;
  let verifyAuthorization: VerifyAuthorization;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      keySetFetches++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [provider.jwk] }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    verifyAuthorization = createVerifier(
      authConfig.parse({
        AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        AUTH_ISSUER: 'https://id.example',
      }),
    );
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  it('accepts a token signed by a key of the set, and fetches the set once', async () => {
    const viewer = await verifyAuthorization(signed(provider));
    await verifyAuthorization(signed(provider, { sub: 'bob' }));

    expect(viewer).toMatchObject({ customerId: 'alice', admin: true });
    expect(keySetFetches).toBe(1);
  });

  it('refuses a token signed by a key that is not in the set', async () => {
    await expect(verifyAuthorization(signed(stranger))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/signing key "key-2" is not in the key set/) as unknown,
    });
  });

  it('does not fetch the set again for each unknown kid: at most every 30 s', async () => {
    await verifyAuthorization(signed(provider));
    const before = keySetFetches;
    for (let i = 0; i < 5; i++) {
      await expect(verifyAuthorization(signed(keyPair(`made-up-${i}`)))).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    expect(keySetFetches).toBe(before);
  });

  it('refuses a token claiming a listed kid but signed by another key', async () => {
    await expect(
      verifyAuthorization(signed({ kid: 'key-1', privateKey: stranger.privateKey })),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/invalid signature/) as unknown,
    });
  });

  it('refuses HS256, even signed with the public key itself (algorithm confusion)', async () => {
    const pem = provider.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const forged = `Bearer ${sign({ sub: 'alice', scope: 'admin' }, pem, {
      algorithm: 'HS256',
      keyid: 'key-1',
    })}`;

    await expect(verifyAuthorization(forged)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/signed with HS256, but only RS256 is accepted/) as unknown,
    });
  });

  it('refuses a token from another issuer', async () => {
    const other = sign({ sub: 'alice' }, provider.privateKey, {
      algorithm: 'RS256',
      keyid: 'key-1',
      expiresIn: 60,
      issuer: 'https://evil.example',
    });
    await expect(verifyAuthorization(`Bearer ${other}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/issuer invalid/) as unknown,
    });
  });

  it('refuses a token without a kid when the set has several keys to choose from', async () => {
    const several = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [provider.jwk, stranger.jwk] }));
    });
    await new Promise<void>((done) => several.listen(0, '127.0.0.1', done));
    const { port } = several.address() as AddressInfo;
    const verify = createVerifier(
      authConfig.parse({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` }),
    );
    const token = sign({ sub: 'alice' }, provider.privateKey, {
      algorithm: 'RS256',
      expiresIn: 60,
    });
    try {
      await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringMatching(
          /names no signing key \("kid"\) and the key set .* has several/,
        ) as unknown,
      });
    } finally {
      await new Promise((done) => several.close(done));
    }
  });

  it('answers an unreachable key set with a server error, not a refused token', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise((done) => closed.close(done));
    const verify = createVerifier(
      authConfig.parse({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` }),
    );

    const error: unknown = await verify(signed(provider)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DomainError);
    expect((error as Error).message).toMatch(/the key set at .* cannot be read/);
  });
});
