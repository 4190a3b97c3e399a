import { DomainError, OrderId } from '@orderflow/contracts';
import { z } from 'zod';

/** An order id names a NATS subject, so it must be one token: no dots, wildcards or spaces. */
export const ConfirmDeliveryArgs = z.object({ orderId: OrderId });

/** Checks arguments before anything runs; every problem is named by its argument path. */
export const parseArgs = <S extends z.ZodType>(schema: S, args: unknown): z.infer<S> => {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new DomainError('BAD_USER_INPUT', problems.join('; '));
};
