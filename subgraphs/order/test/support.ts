import { randomId } from '@orderflow/runtime';
import type { Envelope, EventData, EventType } from '@orderflow/contracts';

/** Any event another service would put on the bus, as a test stands in for that service. */
export type ForeignEvent = Exclude<EventType, `Order${string}`>;

export const foreignEvent = <T extends ForeignEvent>(
  type: T,
  aggregateId: string,
  data: EventData<T>,
  aggregateVersion = 1,
): Envelope =>
  ({
    id: randomId(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId,
    aggregateVersion,
    correlationId: 'test',
    causationId: 'test',
    data,
  }) as Envelope;

export const address = {
  name: 'Alice Doe',
  line1: '1 Main St',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

export const orderInput = (changes: Record<string, unknown> = {}) => ({
  lines: [
    { sku: 'KB-001', quantity: 2 },
    { sku: 'MS-002', quantity: 1 },
  ],
  paymentMethod: 'pm_card_visa',
  shippingAddress: address,
  ...changes,
});
