import { decode } from 'jsonwebtoken';
import { authConfig, createVerifier } from '../src';
import { tokenCommand } from '../src/token-command';

const verifyAuthorization = createVerifier(authConfig.parse({}));

const minted = (argv: string[], env: Record<string, string> = {}) => {
  const result = tokenCommand(argv, env);
  if (result.status !== 0) throw new Error(result.message);
  return result.token;
};

describe('npm run token', () => {
  it('mints a customer token the default verifier accepts, valid for an hour', async () => {
    const token = minted(['--sub', 'alice']);

    expect(await verifyAuthorization(`Bearer ${token}`)).toMatchObject({
      customerId: 'alice',
      admin: false,
    });
    const { iat, exp } = decode(token, { json: true })!;
    expect(exp! - iat!).toBe(3600);
  });

  it('mints an admin token with --admin, for as long as --expires says', async () => {
    const token = minted(['--sub', 'ops', '--admin', '--expires', '7d']);

    expect((await verifyAuthorization(`Bearer ${token}`)).admin).toBe(true);
    const { iat, exp } = decode(token, { json: true })!;
    expect(exp! - iat!).toBe(7 * 86_400);
  });

  it('signs with AUTH_JWT_SECRET and names AUTH_ISSUER and AUTH_AUDIENCE when they are set', async () => {
    const env = {
      AUTH_JWT_SECRET: 'a-secret-of-this-deployment',
      AUTH_ISSUER: 'orderflow-dev',
      AUTH_AUDIENCE: 'orderflow',
    };
    const token = minted(['--sub', 'alice'], env);

    expect((await createVerifier(authConfig.parse(env))(`Bearer ${token}`)).customerId).toBe(
      'alice',
    );
    await expect(verifyAuthorization(`Bearer ${token}`)).rejects.toThrow(/invalid signature/);
  });

  it.each([
    ['no --sub', [], /--sub is required/],
    ['an empty --sub', ['--sub', ' '], /--sub is required/],
    ['an unknown option', ['--sub', 'alice', '--root'], /Unknown option '--root'/],
    ['a stray argument', ['alice'], /Unexpected argument 'alice'/],
    ['a bad duration', ['--sub', 'alice', '--expires', '1 week'], /--expires 1 week is not/],
    ['a zero duration', ['--sub', 'alice', '--expires', '0h'], /--expires 0h is not/],
  ])('refuses %s with the usage, exit code 2', (_case, argv, problem) => {
    const result = tokenCommand(argv, {});

    expect(result).toEqual({ status: 2, message: expect.stringMatching(problem) as unknown });
    expect(result.status === 2 && result.message).toContain('usage: npm run token -- --sub');
  });

  it('refuses bad settings, naming the variable', () => {
    expect(tokenCommand(['--sub', 'alice'], { AUTH_JWT_SECRET: 'short' })).toEqual({
      status: 2,
      message: expect.stringMatching(/AUTH_JWT_SECRET: must be at least 16 characters/) as unknown,
    });
  });

  it('refuses to mint when tokens come from an identity provider (AUTH_JWKS_URL)', () => {
    const result = tokenCommand(['--sub', 'alice'], {
      AUTH_JWKS_URL: 'https://id.example/jwks.json',
    });
    expect(result).toEqual({
      status: 2,
      message: expect.stringMatching(/AUTH_JWKS_URL is set/) as unknown,
    });
  });
});
