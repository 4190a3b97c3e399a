import type { Envelope, Money } from '@orderflow/contracts';

const money = ({ amount, currency }: Money) => `${(amount / 100).toFixed(2)} ${currency}`;

const isMoney = (value: unknown): value is Money =>
  typeof (value as Partial<Money> | undefined)?.amount === 'number' &&
  typeof (value as Partial<Money>).currency === 'string';

/** `KB-001 x2`; for a refusal, what was asked and what there was. */
const lineOf = (line: unknown) => {
  const { sku, quantity, requested, available } = line as Record<string, unknown>;
  if (typeof sku !== 'string') return '';
  if (typeof quantity === 'number') return `${sku} x${quantity}`;
  if (typeof requested === 'number' && typeof available === 'number') {
    return `${sku}: ${requested} requested, ${available} available`;
  }
  return sku;
};

/** A free text field can be long: a line of the story keeps its start. */
const clipped = (text: string, max = 80) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/**
 * What a person asks of each step, from the fields the saga's events share: what was reserved
 * or moved (sku x quantity), how much (amount, total), why (reason, detail), the parcel
 * (tracking number). Read by name, so a new event type tells what it has without a change here.
 */
export const detailOf = (event: Envelope): string => {
  const data = event.data as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(data.lines)) parts.push(data.lines.map(lineOf).join(', '));
  else if (typeof data.sku === 'string') parts.push(lineOf(data));
  for (const field of ['total', 'amount'] as const) {
    const value = data[field];
    if (isMoney(value)) parts.push(money(value));
  }
  if (typeof data.reason === 'string') parts.push(data.reason);
  if (typeof data.detail === 'string' && data.detail !== '') parts.push(clipped(data.detail));
  if (typeof data.trackingNumber === 'string') parts.push(`tracking ${data.trackingNumber}`);
  return parts.filter((part) => part !== '').join('; ');
};
