import { z } from 'zod';

/**
 * What `npm start`, the tests and `npm run token` sign with when AUTH_JWT_SECRET is unset. It is
 * public (it is written here), so a deployment that anyone else can reach must set its own.
 */
export const developmentSecret = 'orderflow-development-secret-do-not-use-in-production';

/**
 * The AUTH_* settings, as a zod object so that each process adds them to its own schema and
 * reports every bad variable, auth's and its own, in one message.
 */
export const authConfig = z.object({
  /** HS256 key shared by whoever mints tokens and every process that verifies them. */
  AUTH_JWT_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters; a short HS256 secret can be guessed')
    .default(developmentSecret),
  /** An identity provider's key set: tokens must then be RS256, signed by one of its keys. */
  AUTH_JWKS_URL: z
    .url({
      protocol: /^https?$/,
      error:
        'expected the URL of a JSON Web Key Set, like https://issuer.example/.well-known/jwks.json',
    })
    .optional(),
  /** When set, a token's `iss` must equal it. */
  AUTH_ISSUER: z.string().min(1).optional(),
  /** When set, a token's `aud` must include it. */
  AUTH_AUDIENCE: z.string().min(1).optional(),
});

export type AuthSettings = z.infer<typeof authConfig>;

/**
 * The development secret is public, so in production (NODE_ENV=production) a process refuses to
 * start with it: it needs a secret of its own or an identity provider's key set. Add it to a
 * schema that holds the AUTH_* settings and NODE_ENV with `.superRefine`.
 */
export const ownSecretInProduction = (
  settings: Pick<AuthSettings, 'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL'> & { NODE_ENV?: string },
  context: z.RefinementCtx,
): void => {
  if (
    settings.NODE_ENV === 'production' &&
    settings.AUTH_JWKS_URL === undefined &&
    settings.AUTH_JWT_SECRET === developmentSecret
  ) {
    context.addIssue({
      code: 'custom',
      path: ['AUTH_JWT_SECRET'],
      message:
        'is the public development secret, which anyone can sign tokens with; in production set ' +
        'it to a secret of your own (at least 32 random characters) or set AUTH_JWKS_URL',
    });
  }
};
