import { z } from 'zod';

/** Settings every service shares; each service extends this with its own. */
export const baseConfig = z.object({
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, 'expected a URL like nats://127.0.0.1:4222')
    .default('nats://127.0.0.1:4222'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/[^\s]+$/, 'expected a URL like mongodb://127.0.0.1:27017')
    .default('mongodb://127.0.0.1:27017'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

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
