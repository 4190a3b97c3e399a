import { z } from 'zod';

/** Tokens that appear in NATS subjects may not contain dots, wildcards or whitespace. */
const subjectToken = /^[A-Za-z0-9_-]+$/;

export const Sku = z
  .string()
  .min(1)
  .max(64)
  .regex(subjectToken, 'a SKU may contain only letters, digits, "-" and "_"');

export const OrderId = z.string().min(1).max(64).regex(subjectToken);

export const Currency = z.string().regex(/^[A-Z]{3}$/, 'a currency is a 3-letter ISO 4217 code');

/** Money is integer minor units (cents) plus a currency: no floating point ever touches it. */
export const Money = z.object({
  amount: z.number().int().nonnegative(),
  currency: Currency,
});
export type Money = z.infer<typeof Money>;

export const Quantity = z.number().int().positive();
