import { sign } from 'jsonwebtoken';

export interface DevelopmentToken {
  /** The customer id the token speaks for. */
  readonly sub: string;
  /** Grants the `admin` scope: the catalog, every order, metrics. */
  readonly admin?: boolean;
  /** Seconds from now; negative makes an already expired token (for tests). */
  readonly expiresIn: number;
  /** AUTH_JWT_SECRET of the processes that will verify it. */
  readonly secret: string;
  /** Set when those processes check AUTH_ISSUER / AUTH_AUDIENCE. */
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

/**
 * An HS256 token as the verifier expects one: for development, tests and the launcher's seeding.
 * Signed with jsonwebtoken, whose `sign` is synchronous as this function and its callers are; jose
 * only signs asynchronously. Tokens are verified with jose (verify.ts), so the tests also check
 * that two implementations agree.
 */
export const mintDevelopmentToken = ({
  sub,
  admin = false,
  expiresIn,
  secret,
  issuer,
  audience,
}: DevelopmentToken): string =>
  sign(admin ? { scope: 'admin' } : {}, secret, {
    algorithm: 'HS256',
    subject: sub,
    expiresIn,
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
  });
