import { z } from 'zod';

/** Settings every service shares; each service extends this with its own. */
export const baseConfig = z.object({
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, 'expected a URL like nats://127.0.0.1:4222')
    .default('nats://127.0.0.1:4222'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
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
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
  );
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
};
