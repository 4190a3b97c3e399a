import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Settings every service shares; each service extends this with its own. */
export const baseConfig = z.object({
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, 'expected a URL like nats://127.0.0.1:4222')
    .default('nats://127.0.0.1:4222'),
  /** Who this process is on the bus; its permissions are this user's (docs/security.md). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` lines for files and collectors; `pretty` for a person reading a terminal. */
  LOG_FORMAT: z
    .enum(['json', 'pretty'], { error: 'expected json (the default) or pretty' })
    .default('json'),
  /** `production` refuses development defaults (the public JWT secret) and turns introspection off. */
  NODE_ENV: z.string().optional(),
});

/**
 * Where a service keeps its read models: MongoDB when MONGODB_URI is set (a replica set, for its
 * transactions), else one SQLite file per service under DATA_DIR.
 */
export const storeConfig = z.object({
  MONGODB_URI: z
    .string()
    .regex(
      /^mongodb(\+srv)?:\/\/[^\s]+$/,
      'expected a URL like mongodb://127.0.0.1:27017/?replicaSet=rs0',
    )
    .optional(),
  DATA_DIR: z.string().min(1).default('.data/read-models'),
  /** Empty every read model and replay the whole log at this start. */
  READ_MODELS_REBUILD: z.stringbool().default(false),
});

/** The secret the gateway shows every subgraph: set in both, the same. */
export const callerSecretSetting = z
  .string()
  .min(16, 'must be at least 16 characters; a short secret can be guessed')
  .optional();

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads configuration from the environment. Every problem is reported at once, named by its
 * variable, so a person fixes them in one go instead of one restart per mistake.
 */
export const loadConfig = <S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, unknown>> = process.env,
): z.infer<S> => {
  const parsed = schema.safeParse(withFileSecrets(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
  );
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
};

/** Settings that hold secrets: each may instead come from the file `<NAME>_FILE` names. */
export const SECRET_SETTINGS = [
  'NATS_PASSWORD',
  'AUTH_JWT_SECRET',
  'SUBGRAPH_CALLER_SECRET',
  'MONGODB_URI',
] as const;

/**
 * Reads `<NAME>_FILE` into `<NAME>` for every secret setting, as container secrets are mounted,
 * so a secret need not sit in the environment itself. A value set directly wins.
 */
const withFileSecrets = (env: Readonly<Record<string, unknown>>) => {
  const resolved: Record<string, unknown> = { ...env };
  const problems: string[] = [];
  for (const name of SECRET_SETTINGS) {
    const path = env[`${name}_FILE`];
    if (typeof path !== 'string' || path === '' || env[name] !== undefined) continue;
    try {
      resolved[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(`  ${name}_FILE: cannot read ${path}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return resolved;
};

/** User and password go together: one without the other is a typo, not a choice. */
export const natsCredentialsPaired = (
  config: { NATS_USER?: string | undefined; NATS_PASSWORD?: string | undefined },
  context: z.RefinementCtx,
) => {
  if ((config.NATS_USER === undefined) === (config.NATS_PASSWORD === undefined)) return;
  const missing = config.NATS_USER === undefined ? 'NATS_USER' : 'NATS_PASSWORD';
  context.addIssue({
    code: 'custom',
    path: [missing],
    message: 'NATS_USER and NATS_PASSWORD (or NATS_PASSWORD_FILE) are set together',
  });
};

/** A production service connects as its own bus user, whose permissions bound what it may do. */
export const natsUserInProduction = (
  config: { NODE_ENV?: string | undefined; NATS_USER?: string | undefined },
  context: z.RefinementCtx,
) => {
  if (config.NODE_ENV !== 'production' || config.NATS_USER !== undefined) return;
  context.addIssue({
    code: 'custom',
    path: ['NATS_USER'],
    message:
      'required in production: set NATS_USER and NATS_PASSWORD (or NATS_PASSWORD_FILE) to this ' +
      "service's NATS user, whose permissions let it publish only its own events",
  });
};
