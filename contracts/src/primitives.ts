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

/*
 * Every free-text field that reaches an event has a bound, so that no request can make an event
 * larger than the bus carries (a message refused for its size would be retried forever).
 */

// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Marks and overrides that reorder how text is shown, and so what a person reads. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const PLAIN_TEXT_RULE =
  'must be plain text: no control characters or line breaks, unpaired surrogates or ' +
  'bidirectional overrides';

/**
 * Text a person typed that reaches events, logs and other people's screens: one line, well
 * formed, shown as written.
 */
export const isPlainText = (text: string): boolean =>
  !CONTROL.test(text) && !BIDI.test(text) && !UNPAIRED_SURROGATE.test(text);

/**
 * A string schema that also refuses what is not plain text. JSON Schema cannot say so, so the rule
 * is its description: the schema registry (contracts/schemas) then sees it come and go.
 */
export const plainText = (schema: z.ZodString) =>
  schema.refine(isPlainText, PLAIN_TEXT_RULE).meta({ description: PLAIN_TEXT_RULE });

/** A name a provider, a carrier or an identity provider gave: a customer, payment or parcel id. */
export const ExternalId = z.string().min(1).max(128);

/** A payment method token, such as "pm_card_visa". */
export const MAX_PAYMENT_METHOD_LENGTH = 64;
export const PaymentMethod = plainText(z.string().min(1).max(MAX_PAYMENT_METHOD_LENGTH));

/** Someone's words about why: a decline, a refusal, a cancellation. */
export const Detail = z.string().max(500);

/** How many lines one order may have. */
export const MAX_ORDER_LINES = 50;
