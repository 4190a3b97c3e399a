import { DomainError } from '@orderflow/contracts';
import { createRemoteJWKSet, errors, type CryptoKey, type JWTVerifyGetKey } from 'jose';

/** Where the key that checks a token's signature comes from, and how a caller gets a good token. */
export interface KeySource {
  /** The one algorithm accepted: a token must not choose how it is checked. */
  readonly algorithm: 'HS256' | 'RS256';
  /** What a refused caller should do, appended to every refusal. */
  readonly remedy: string;
  /**
   * The key that checks a token's signature, chosen from its protected header, for jose's
   * jwtVerify. Refuses with DomainError UNAUTHENTICATED when no key fits the token.
   */
  readonly key: JWTVerifyGetKey;
}

/**
 * A key set that cannot be read (unreachable, timed out, not a JWKS) is not the caller's fault: it
 * stays a server error, which the services answer with a neutral 503, never as a refused token.
 */
export class KeySetUnavailable extends Error {
  override readonly name = 'KeySetUnavailable';
}

/** Development and single-party deployments: one shared HS256 secret. */
export const sharedSecret = (secret: string): KeySource => {
  // Imported once, on first use: jose checks an HMAC fastest with a CryptoKey (bench:security).
  let key: Promise<CryptoKey> | undefined;
  return {
    algorithm: 'HS256',
    remedy: 'mint one with `npm run token -- --sub <customer id>`',
    key: () =>
      (key ??= crypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      )),
  };
};

/**
 * An identity provider's RS256 keys, fetched from its JWKS endpoint by jose. The set is cached for
 * ten minutes (a provider rotates keys rarely) and fetched again for an unknown key id at most
 * every 30 seconds, so tokens with made-up `kid`s cannot make us hammer the provider.
 */
export const keySet = (url: string): KeySource => {
  const keys = createRemoteJWKSet(new URL(url), {
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: 30_000,
    timeoutDuration: 5_000,
  });
  const remedy = 'get one from your identity provider';
  const refused = (message: string) => new DomainError('UNAUTHENTICATED', `${message}; ${remedy}`);
  return {
    algorithm: 'RS256',
    remedy,
    key: async (header, token) => {
      try {
        return await keys(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey) {
          const kid = header.kid ? `"${header.kid}" ` : '';
          throw refused(`the token's signing key ${kid}is not in the key set at ${url}`);
        }
        // Trying each would let one bad token cost a verification per key.
        if (error instanceof errors.JWKSMultipleMatchingKeys) {
          throw refused(
            `the token names no signing key ("kid") and the key set at ${url} has several`,
          );
        }
        throw new KeySetUnavailable(`the key set at ${url} cannot be read`, { cause: error });
      }
    },
  };
};
