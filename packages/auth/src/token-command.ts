import { parseArgs } from 'node:util';
import { authConfig } from './config';
import { mintDevelopmentToken } from './mint';

export const usage = `usage: npm run token -- --sub <customer id> [--admin] [--expires <n>s|m|h|d]

Prints an HS256 development token signed with AUTH_JWT_SECRET (the development default when unset).
  --sub       the customer the token speaks for (its "sub")
  --admin     grant the admin scope: the catalog, every order, metrics
  --expires   lifetime, e.g. 30m, 12h, 7d (default 1h)

Use it as: curl -H "authorization: Bearer $(npm run -s token -- --sub alice)" ...`;

const options = {
  sub: { type: 'string' },
  admin: { type: 'boolean', default: false },
  expires: { type: 'string', default: '1h' },
} as const;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds in a duration like 30m, 12h or 7d; undefined for anything else. */
const secondsIn = (duration: string): number | undefined => {
  const match = /^([1-9]\d*)([smhd])$/.exec(duration);
  const unit = UNIT_SECONDS[match?.[2] ?? ''];
  return match && unit ? Number(match[1]) * unit : undefined;
};

/** The parsed arguments, or parseArgs' complaint (an unknown option, a missing value). */
const parsed = (argv: readonly string[]) => {
  try {
    return parseArgs({ args: [...argv], options }).values;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
};

export type TokenCommandResult =
  { readonly status: 0; readonly token: string } | { readonly status: 2; readonly message: string };

const refuse = (problem: string): TokenCommandResult => ({
  status: 2,
  message: `${problem}\n\n${usage}`,
});

/** `npm run token` without the process: arguments and environment in, a token or a refusal out. */
export const tokenCommand = (
  argv: readonly string[],
  env: Readonly<Record<string, unknown>>,
): TokenCommandResult => {
  const values = parsed(argv);
  if (values instanceof Error) return refuse(values.message);
  const { sub, admin, expires } = values;
  if (!sub?.trim()) return refuse('--sub is required: the customer id the token speaks for');
  const expiresIn = secondsIn(expires);
  if (expiresIn === undefined) {
    return refuse(`--expires ${expires} is not a duration like 30m, 12h or 7d`);
  }
  const settings = authConfig.safeParse(env);
  if (!settings.success) {
    const problems = settings.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    return { status: 2, message: `invalid configuration:\n${problems.join('\n')}` };
  }
  if (settings.data.AUTH_JWKS_URL) {
    return {
      status: 2,
      message: `AUTH_JWKS_URL is set, so only RS256 tokens from your identity provider are accepted; this command mints HS256 development tokens`,
    };
  }
  return {
    status: 0,
    token: mintDevelopmentToken({
      sub,
      admin,
      expiresIn,
      secret: settings.data.AUTH_JWT_SECRET,
      issuer: settings.data.AUTH_ISSUER,
      audience: settings.data.AUTH_AUDIENCE,
    }),
  };
};
