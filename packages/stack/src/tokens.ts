import { authConfig, mintDevelopmentToken } from '@orderflow/auth';

export interface TokenOptions {
  /** Grants the `admin` scope. */
  readonly admin?: boolean;
  /** Seconds from now (default an hour); negative for an already expired token. */
  readonly expiresIn?: number;
  /** Signs with another secret than the services', for tests of refusals. */
  readonly secret?: string;
  /** The environment the services were started with; process.env by default. */
  readonly env?: Readonly<Record<string, unknown>>;
}

/**
 * A token the services of `env` accept: HS256 with their AUTH_JWT_SECRET (the development
 * default when unset), naming their AUTH_ISSUER and AUTH_AUDIENCE when set. For the launcher
 * and the tests; `npm run token` is the same for people.
 */
export const developmentToken = (sub: string, options: TokenOptions = {}): string => {
  const settings = authConfig.parse(options.env ?? process.env);
  return mintDevelopmentToken({
    sub,
    admin: options.admin ?? false,
    expiresIn: options.expiresIn ?? 3600,
    secret: options.secret ?? settings.AUTH_JWT_SECRET,
    issuer: settings.AUTH_ISSUER,
    audience: settings.AUTH_AUDIENCE,
  });
};

/** The header that carries a token, for graphql() and graphqlData(). */
export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});
