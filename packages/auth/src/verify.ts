import { DomainError, isPlainText } from '@orderflow/contracts';
import {
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyOptions,
  type ProtectedHeaderParameters,
} from 'jose';
import type { AuthSettings } from './config';
import { keySet, sharedSecret, type KeySource } from './keys';
import { viewerOf, type Viewer } from './viewer';

/**
 * Who an `Authorization` value speaks for: an HTTP header, or graphql-ws's
 * `connectionParams.authorization`. Refuses with DomainError UNAUTHENTICATED, saying what to do.
 */
export type VerifyAuthorization = (authorization: string | undefined) => Promise<Viewer>;

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

const BEARER = /^Bearer +(\S+)$/i;

const bearerToken = (authorization: string | undefined, remedy: string): string => {
  if (!authorization?.trim()) {
    throw unauthenticated(
      `missing Authorization header; send "Authorization: Bearer <token>" and ${remedy}`,
    );
  }
  const token = BEARER.exec(authorization.trim())?.[1];
  // The value itself is not repeated: under another scheme it may hold a password.
  if (!token) throw unauthenticated(`the Authorization header must be "Bearer <token>"`);
  return token;
};

const timeOf = (seconds: unknown) =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : String(seconds);

/** jose's reasons, in words that say what to do next. */
const refusal = (
  error: errors.JOSEError,
  options: JWTVerifyOptions,
  remedy: string,
): DomainError => {
  if (error instanceof errors.JWTExpired && error.claim === 'exp') {
    return unauthenticated(`token expired at ${timeOf(error.payload.exp)}; ${remedy}`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, payload } = error;
    if (claim === 'nbf') return unauthenticated(`token is not valid before ${timeOf(payload.nbf)}`);
    if (claim === 'iss' || claim === 'aud') {
      const name = claim === 'iss' ? 'issuer' : 'audience';
      const expected = claim === 'iss' ? options.issuer : options.audience;
      return unauthenticated(
        `token refused (${name} invalid, expected ${JSON.stringify(expected)}); ${remedy}`,
      );
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated(`token refused (invalid signature); ${remedy}`);
  }
  return unauthenticated(`token refused (${error.message}); ${remedy}`);
};

/** The token's header, or undefined when it is not three dot-separated parts with a JSON header. */
const headerOf = (token: string): ProtectedHeaderParameters | undefined => {
  if (token.split('.').length !== 3) return undefined;
  try {
    return decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
};

/** How far ahead of this clock a token's `iat` may be: clocks of issuers and servers drift. */
const CLOCK_SKEW_SECONDS = 60;

/** A customer id is stored, logged and put into events: plain text, trimmed, bounded. */
const isCustomerId = (sub: string) => sub.length <= 128 && sub.trim() === sub && isPlainText(sub);

/**
 * The claims a verified token must also satisfy: a signature proves who issued a claim, not that
 * it has a shape this system can store. `sub` becomes the customer id; `exp` must be there, since
 * a token that never expires can never be taken back; `iat` may not lie in the future.
 */
const customerOf = (claims: JWTPayload): string => {
  const sub: unknown = claims.sub;
  if (sub === undefined || sub === '') {
    throw unauthenticated('the token has no "sub" claim; it must name the customer');
  }
  if (typeof sub !== 'string') throw unauthenticated('the token\'s "sub" must be a string');
  if (!isCustomerId(sub)) {
    throw unauthenticated(
      'the token\'s "sub" must be 1 to 128 characters of plain text, without surrounding spaces',
    );
  }
  if (claims.exp === undefined) {
    throw unauthenticated('the token has no "exp" claim; tokens must expire');
  }
  if (claims.iat !== undefined && claims.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
    throw unauthenticated(
      `the token was issued in the future (iat ${new Date(claims.iat * 1000).toISOString()}); check the issuer's clock`,
    );
  }
  return sub;
};

/**
 * How long a verified token is taken at its word without checking its signature again, at most
 * (never past its `exp`): every request is verified by the gateway and again by each subgraph it
 * reaches, and an HMAC or RSA check cost each of them 5 to 8% of its CPU. A key the key set drops
 * stops a remembered token within this time; jose's own cache of the key set holds keys longer.
 */
const REMEMBER_MS = 60_000;
/** Tokens remembered at most; the oldest is forgotten first. */
const REMEMBERED = 10_000;

/**
 * The verifier for `settings`: HS256 with AUTH_JWT_SECRET, or RS256 with the keys at
 * AUTH_JWKS_URL; `iss` and `aud` are checked when AUTH_ISSUER and AUTH_AUDIENCE are set.
 * Create one per process: it holds the key set's cache.
 */
export const createVerifier = (settings: AuthSettings): VerifyAuthorization => {
  const keys: KeySource = settings.AUTH_JWKS_URL
    ? keySet(settings.AUTH_JWKS_URL)
    : sharedSecret(settings.AUTH_JWT_SECRET);
  const options: JWTVerifyOptions = {
    algorithms: [keys.algorithm],
    ...(settings.AUTH_ISSUER === undefined ? {} : { issuer: settings.AUTH_ISSUER }),
    ...(settings.AUTH_AUDIENCE === undefined ? {} : { audience: settings.AUTH_AUDIENCE }),
  };
  const remembered = new Map<string, { readonly viewer: Viewer; readonly until: number }>();
  const remember = (token: string, viewer: Viewer, exp: number) => {
    if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(token, { viewer, until: Math.min(exp * 1000, Date.now() + REMEMBER_MS) });
  };
  return async (authorization) => {
    const token = bearerToken(authorization, keys.remedy);
    const known = remembered.get(token);
    if (known !== undefined) {
      if (Date.now() < known.until) return known.viewer;
      remembered.delete(token);
    }
    const header = headerOf(token);
    if (!header) throw unauthenticated(`the bearer token is not a JWT; ${keys.remedy}`);
    // Checked before any key is chosen: `none`, or HS256 signed with a public key, must not pass.
    if (header.alg !== keys.algorithm) {
      throw unauthenticated(
        `the token is signed with ${header.alg}, but only ${keys.algorithm} is accepted; ${keys.remedy}`,
      );
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys.key, options));
    } catch (error) {
      throw error instanceof errors.JOSEError ? refusal(error, options, keys.remedy) : error;
    }
    const viewer = viewerOf(customerOf(claims), claims, token);
    // customerOf refuses a token without exp.
    remember(token, viewer, claims.exp!);
    return viewer;
  };
};
