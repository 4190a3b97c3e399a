import { DomainError, Money, ProductUpsertedV1, Sku } from '@orderflow/contracts';
import { z } from 'zod';

const MAX_PAGE = 100;

export const ProductArgs = z.object({ sku: Sku });

export const ProductInputArgs = z.object({
  input: z.object({ sku: Sku, name: ProductUpsertedV1.shape.name, price: Money }),
});

/** The quantity's range is the domain's rule; GraphQL has already made it an integer. */
export const RestockArgs = z.object({ sku: Sku, quantity: z.number() });

export const PageArgs = z.object({
  first: z
    .number()
    .int()
    .min(1, `first must be from 1 to ${MAX_PAGE}`)
    .max(MAX_PAGE, `first must be from 1 to ${MAX_PAGE}; page with "after" for more`),
  after: z.string().nullish(),
});

/** Checks arguments before anything runs; every problem is named by its argument path. */
export const parseArgs = <S extends z.ZodType>(schema: S, args: unknown): z.infer<S> => {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new DomainError('BAD_USER_INPUT', problems.join('; '));
};
