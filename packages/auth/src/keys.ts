import { DomainError } from '@orderflow/contracts';
import type { Secret } from 'jsonwebtoken';
import { JwksClient, JwksRateLimitError, SigningKeyNotFoundError } from 'jwks-rsa';

/** Where the key that checks a token's signature comes from, and how a caller gets a good token. */
export interface KeySource {
  /** The one algorithm accepted: a token must not choose how it is checked. */
  readonly algorithm: 'HS256' | 'RS256';
  /** What a refused caller should do, appended to every refusal. */
  readonly remedy: string;
  key(kid: string | undefined): Promise<Secret>;
}

/** Development and single-party deployments: one shared HS256 secret. */
export const sharedSecret = (secret: string): KeySource => ({
  algorithm: 'HS256',
  remedy: 'mint one with `npm run token -- --sub <customer id>`',
  key: async () => secret,
});

/**
 * An identity provider's RS256 keys, fetched from its JWKS endpoint. Keys are cached (a
 * provider rotates them rarely), and fetches for unknown key ids are rate-limited, so tokens with
 * made-up `kid`s cannot make us hammer the provider.
 */
export const keySet = (url: string): KeySource => {
  const client = new JwksClient({
    jwksUri: url,
    cache: true,
    cacheMaxAge: 10 * 60_000,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    timeout: 5_000,
  });
  const remedy = 'get one from your identity provider';
  return {
    algorithm: 'RS256',
    remedy,
    key: async (kid) => {
      try {
        return (await client.getSigningKey(kid)).getPublicKey();
      } catch (error) {
        // An unreachable or broken key set is not the caller's fault: it stays a server error.
        if (!(error instanceof SigningKeyNotFoundError || error instanceof JwksRateLimitError)) {
          throw error;
        }
        throw new DomainError(
          'UNAUTHENTICATED',
          `the token's signing key ${kid ? `"${kid}" ` : ''}is not in the key set at ${url}; ${remedy}`,
        );
      }
    },
  };
};
