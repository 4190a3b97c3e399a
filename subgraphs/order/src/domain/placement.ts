import type { EventData, Money } from '@orderflow/contracts';
import {
  DomainError,
  MAX_ORDER_LINES,
  isPlainText,
  MAX_PAYMENT_METHOD_LENGTH,
  PLAIN_TEXT_RULE,
  ShippingAddressV1,
} from '@orderflow/contracts';

export type OrderLine = EventData<'OrderCreated'>['lines'][number];
export type ShippingAddress = EventData<'OrderCreated'>['shippingAddress'];

export interface RequestedLine {
  readonly sku: string;
  readonly quantity: number;
}

/** What a customer asks for; a retry under the same idempotency key must ask for the same. */
export interface Placement {
  readonly customerId: string;
  readonly lines: readonly RequestedLine[];
  readonly paymentMethod: string;
  readonly shippingAddress: ShippingAddress;
}

const MAX_QUANTITY = 1000;
/** The API carries amounts as GraphQL Int (32-bit), so a larger total could not be returned. */
const MAX_TOTAL = 2 ** 31 - 1;

const addressProblems = (address: ShippingAddress): string[] => {
  const checked = ShippingAddressV1.safeParse(address, {
    error: (issue) => {
      if (issue.code === 'too_small') return 'must not be empty';
      if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)} characters`;
      if (issue.code === 'invalid_format') {
        return 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. "DE"';
      }
      return undefined;
    },
  });
  if (checked.success) return [];
  return checked.error.issues.map(
    (issue) => `shippingAddress.${issue.path.join('.')} ${issue.message}`,
  );
};

/**
 * Checks a placement against the catalog's prices and prices its lines. Every problem is
 * reported at once, so the customer fixes the order in one go.
 */
export const priceOrder = (
  placement: Placement,
  prices: Readonly<Record<string, Money | undefined>>,
): { lines: OrderLine[]; total: Money } => {
  const count = placement.lines.length;
  if (count < 1 || count > MAX_ORDER_LINES) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `an order has 1 to ${MAX_ORDER_LINES} lines; this one has ${count}`,
    );
  }
  const problems: string[] = [];
  const lines: OrderLine[] = [];
  const lineOf = new Map<string, number>();
  let firstPriced: { label: string; currency: string } | undefined;
  for (const [index, { sku, quantity }] of placement.lines.entries()) {
    const label = `line ${index + 1} (${sku})`;
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      problems.push(
        `${label}: quantity must be a whole number from 1 to ${MAX_QUANTITY}, not ${quantity}`,
      );
    }
    const earlier = lineOf.get(sku);
    if (earlier !== undefined) {
      problems.push(`${label}: already on line ${earlier}; order a SKU on one line`);
      continue;
    }
    lineOf.set(sku, index + 1);
    // hasOwn: a SKU such as "constructor" must not find a price on Object.prototype.
    const unitPrice = Object.hasOwn(prices, sku) ? prices[sku] : undefined;
    if (!unitPrice) {
      problems.push(`${label}: there is no product with this SKU in the catalog`);
      continue;
    }
    firstPriced ??= { label, currency: unitPrice.currency };
    if (unitPrice.currency !== firstPriced.currency) {
      problems.push(
        `${label} is priced in ${unitPrice.currency} but ${firstPriced.label} in ` +
          `${firstPriced.currency}; an order is paid in one currency, so order them separately`,
      );
    }
    lines.push({ sku, quantity, unitPrice });
  }
  if (placement.paymentMethod.trim() === '') {
    problems.push('paymentMethod must not be empty; name one such as "pm_card_visa"');
  } else if (placement.paymentMethod.length > MAX_PAYMENT_METHOD_LENGTH) {
    problems.push(
      `paymentMethod must be at most ${MAX_PAYMENT_METHOD_LENGTH} characters, ` +
        `not ${placement.paymentMethod.length}`,
    );
  } else if (!isPlainText(placement.paymentMethod)) {
    problems.push(`paymentMethod ${PLAIN_TEXT_RULE}`);
  }
  problems.push(...addressProblems(placement.shippingAddress));
  // With no problem reported every line is priced, so firstPriced is set; the check is for tsc.
  if (problems.length > 0 || !firstPriced) {
    throw new DomainError('BAD_USER_INPUT', problems.join('; '));
  }
  const amount = lines.reduce((sum, line) => sum + line.unitPrice.amount * line.quantity, 0);
  if (amount > MAX_TOTAL) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `the order's total of ${amount} minor units is above the ${MAX_TOTAL} one order can carry; ` +
        'split it into smaller orders',
    );
  }
  return { lines, total: { amount, currency: firstPriced.currency } };
};

const addressFields = Object.keys(ShippingAddressV1.shape) as (keyof ShippingAddress)[];

/** Same customer, same SKUs in the same quantities (in any order), same payment and address. */
export const samePlacement = (a: Placement, b: Placement): boolean => {
  const quantities = new Map(a.lines.map((line) => [line.sku, line.quantity]));
  return (
    a.customerId === b.customerId &&
    a.paymentMethod === b.paymentMethod &&
    addressFields.every((field) => a.shippingAddress[field] === b.shippingAddress[field]) &&
    a.lines.length === b.lines.length &&
    quantities.size === b.lines.length &&
    b.lines.every((line) => quantities.get(line.sku) === line.quantity)
  );
};
