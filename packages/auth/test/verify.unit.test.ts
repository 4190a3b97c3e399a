import { DomainError } from '@orderflow/contracts';
import { sign } from 'jsonwebtoken';
import { authConfig, createVerifier, developmentSecret, mintDevelopmentToken } from '../src';

const settings = authConfig.parse({});
const verifyAuthorization = createVerifier(settings);
const bearer = (token: string) => `Bearer ${token}`;
const minted = (sub: string, admin = false) =>
  mintDevelopmentToken({ sub, admin, expiresIn: 60, secret: developmentSecret });

/** The refusal's code and message, or a failure when there is none. */
const refusal = async (authorization: string | undefined) => {
  const error: unknown = await verifyAuthorization(authorization).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DomainError)) throw new Error('expected a DomainError', { cause: error });
  return { code: error.code, message: error.message };
};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifying an Authorization header (HS256, the development default)', () => {
  it('accepts a minted token: sub is the customer, no admin scope', async () => {
    const token = minted('alice');
    expect(await verifyAuthorization(bearer(token))).toEqual({
      customerId: 'alice',
      admin: false,
      token,
    });
  });

  it('takes the scheme case-insensitively', async () => {
    expect((await verifyAuthorization(`bearer ${minted('alice')}`)).customerId).toBe('alice');
  });

  it.each([
    ['no header', undefined, /missing Authorization header; send "Authorization: Bearer <token>"/],
    ['an empty header', ' ', /missing Authorization header/],
    ['another scheme', 'Basic YWxpY2U6c2VjcmV0', /must be "Bearer <token>"/],
    ['Bearer without a token', 'Bearer', /must be "Bearer <token>"/],
    ['a token that is no JWT', 'Bearer not-a-jwt', /not a JWT; mint one with `npm run token/],
  ])('refuses %s as UNAUTHENTICATED, saying what to send', async (_case, header, message) => {
    const { code, message: said } = await refusal(header);
    expect(code).toBe('UNAUTHENTICATED');
    expect(said).toMatch(message);
  });

  it('does not repeat the credentials of another scheme', async () => {
    expect((await refusal('Basic YWxpY2U6c2VjcmV0')).message).not.toContain('YWxpY2U6c2VjcmV0');
  });

  it('refuses an expired token, saying when it expired', async () => {
    const expired = mintDevelopmentToken({
      sub: 'alice',
      expiresIn: -60,
      secret: developmentSecret,
    });
    const { code, message } = await refusal(bearer(expired));
    expect(code).toBe('UNAUTHENTICATED');
    expect(message).toMatch(/^token expired at \d{4}-\d\d-\d\dT[\d:.]+Z; mint one/);
  });

  it('refuses a token it verified before once that token expires', async () => {
    const token = mintDevelopmentToken({ sub: 'alice', expiresIn: 1, secret: developmentSecret });
    expect((await verifyAuthorization(bearer(token))).customerId).toBe('alice');

    const deadline = Date.now() + 5_000;
    let refused: string | undefined;
    while (refused === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      refused = await verifyAuthorization(bearer(token)).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    }
    expect(refused).toMatch(/^token expired at /);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = mintDevelopmentToken({
      sub: 'alice',
      admin: true,
      expiresIn: 60,
      secret: 'somebody-elses-secret-entirely',
    });
    expect(await refusal(bearer(forged))).toEqual({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/invalid signature/) as unknown,
    });
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'alice', scope: 'admin' })}.`;
    expect(await refusal(bearer(unsigned))).toEqual({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/signed with none, but only HS256 is accepted/) as unknown,
    });
  });

  it.each([
    ['no sub', {}],
    ['an empty sub', { sub: '' }],
  ])('refuses a token with %s: it names no customer', async (_case, claims) => {
    const token = sign(claims, developmentSecret, { algorithm: 'HS256', expiresIn: 60 });
    expect((await refusal(bearer(token))).message).toMatch(/no "sub" claim/);
  });

  it.each([
    ['scope "admin" (minted with --admin)', { scope: 'admin' }, true],
    ['scope among others', { scope: 'orders:read admin' }, true],
    ['scopes as a list', { scopes: ['read', 'admin'] }, true],
    ['scp as a list', { scp: ['admin'] }, true],
    ['scp as a string', { scp: 'read admin' }, true],
    ['other scopes only', { scope: 'administrator orders:admin', scp: ['read'] }, false],
    ['no scope', {}, false],
  ])('grants admin for %s: %s', async (_case, claims, admin) => {
    const token = sign({ sub: 'root', ...claims }, developmentSecret, { expiresIn: 60 });
    expect((await verifyAuthorization(bearer(token))).admin).toBe(admin);
  });
});

describe('the claims a signed token must carry', () => {
  /** A token signed with the right secret, whose claims are exactly `claims`. */
  const signed = (claims: Record<string, unknown>) =>
    // jsonwebtoken adds an iat of now unless told not to, and then drops a given one too.
    bearer(
      sign(claims, developmentSecret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) }),
    );
  const now = () => Math.floor(Date.now() / 1000);
  const soon = () => now() + 60;

  it.each([
    ['an object as sub', { sub: { $ne: null }, exp: 0 }, /"sub" must be a string/],
    ['a number as sub', { sub: 42, exp: 0 }, /"sub" must be a string/],
    ['an empty sub', { sub: '', exp: 0 }, /no "sub" claim/],
    [
      'a sub of 129 characters',
      { sub: 'x'.repeat(129), exp: 0 },
      /"sub" must be 1 to 128 characters of plain text/,
    ],
    [
      'a sub with a control character',
      { sub: 'eve\u0000', exp: 0 },
      /"sub" must be 1 to 128 characters of plain text/,
    ],
    [
      'a sub with a line break',
      { sub: 'eve\nadmin', exp: 0 },
      /"sub" must be 1 to 128 characters of plain text/,
    ],
  ])(
    'refuses %s: a claim is untrusted input until it has its shape',
    async (_case, claims, message) => {
      const { code, message: said } = await refusal(signed({ ...claims, exp: soon() }));
      expect(code).toBe('UNAUTHENTICATED');
      expect(said).toMatch(message);
    },
  );

  it('refuses a token that never expires', async () => {
    const { code, message } = await refusal(signed({ sub: 'alice' }));
    expect(code).toBe('UNAUTHENTICATED');
    expect(message).toMatch(/the token has no "exp" claim; tokens must expire/);
  });

  it('refuses a token issued in the future', async () => {
    const { message } = await refusal(
      signed({ sub: 'alice', iat: now() + 3600, exp: now() + 7200 }),
    );
    expect(message).toMatch(/issued in the future/);
  });

  it('accepts a token issued a moment ahead of this clock (clock skew)', async () => {
    const viewer = await verifyAuthorization(signed({ sub: 'alice', iat: now() + 5, exp: soon() }));
    expect(viewer.customerId).toBe('alice');
  });
});

describe('issuer and audience', () => {
  const strict = createVerifier(
    authConfig.parse({ AUTH_ISSUER: 'https://id.example', AUTH_AUDIENCE: 'orderflow' }),
  );
  const token = (claims: { issuer?: string; audience?: string }) =>
    bearer(
      mintDevelopmentToken({ sub: 'alice', expiresIn: 60, secret: developmentSecret, ...claims }),
    );

  it('accepts a token from the configured issuer for the configured audience', async () => {
    const viewer = await strict(token({ issuer: 'https://id.example', audience: 'orderflow' }));
    expect(viewer.customerId).toBe('alice');
  });

  it.each([
    ['no issuer', { audience: 'orderflow' }, /issuer invalid/],
    ['another issuer', { issuer: 'https://evil.example', audience: 'orderflow' }, /issuer/],
    ['another audience', { issuer: 'https://id.example', audience: 'billing' }, /audience/],
  ])('refuses a token with %s', async (_case, claims, message) => {
    await expect(strict(token(claims))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(message) as unknown,
    });
  });
});

describe('the settings', () => {
  it('default to the development secret and no key set, issuer or audience', () => {
    expect(authConfig.parse({})).toEqual({ AUTH_JWT_SECRET: developmentSecret });
  });

  it('report every bad variable at once', () => {
    const parsed = authConfig.safeParse({ AUTH_JWT_SECRET: 'short', AUTH_JWKS_URL: 'keys.json' });
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'AUTH_JWT_SECRET',
      'AUTH_JWKS_URL',
    ]);
  });
});
