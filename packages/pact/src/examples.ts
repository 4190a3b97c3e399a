import type { EventData } from '@orderflow/contracts';

/** Example data the consumers' contracts share: fixed, so every pact file is the same on each run. */
export const exampleAddress = {
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

type Line = EventData<'OrderCreated'>['lines'][number];

/** An order as placed: two keyboards at 21.00 unless told otherwise, shipped to `exampleAddress`. */
export const examplePlacedOrder = (
  orderId: string,
  lines: readonly Line[] = [
    { sku: 'KB-001', quantity: 2, unitPrice: { amount: 2100, currency: 'USD' } },
  ],
): EventData<'OrderCreated'> => ({
  orderId,
  customerId: 'customer-1',
  lines: [...lines],
  total: {
    amount: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice.amount, 0),
    currency: 'USD',
  },
  paymentMethod: 'pm_card_visa',
  shippingAddress: exampleAddress,
  placedAt: '2026-01-01T12:00:00.000Z',
});
