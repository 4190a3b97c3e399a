import { ContractViolation, encodeEnvelope, MAX_ORDER_LINES, type Envelope } from '../src';

/** The bus's default message limit (1 MB): an event the codec accepts must never come near it. */
const BUS_MESSAGE_LIMIT = 1024 * 1024;

const envelope = (type: string, data: unknown, ids = 'x'.repeat(128)) =>
  ({
    id: '7d444840-9dc0-41d1-8b6b-9d4b7d2b2c8a',
    type,
    version: 1,
    occurredAt: '2026-11-25T10:00:00.000Z',
    aggregateId: ids,
    aggregateVersion: 1,
    correlationId: ids,
    causationId: ids,
    causationType: 'request',
    data,
  }) as unknown as Envelope;

const text = (length: number) => 'x'.repeat(length);
const usd = { amount: 1, currency: 'USD' };
const address = {
  name: text(200),
  line1: text(200),
  city: text(100),
  postalCode: text(20),
  country: 'DE',
};

/** The largest OrderCreated the schemas allow: every field and every line at its bound. */
const largestOrder = {
  orderId: text(64),
  customerId: text(128),
  lines: Array.from({ length: MAX_ORDER_LINES }, (_, i) => ({
    sku: `${text(60)}${String(i).padStart(4, '0')}`,
    quantity: 1_000_000,
    unitPrice: { amount: 2 ** 31 - 1, currency: 'USD' },
  })),
  total: usd,
  paymentMethod: text(64),
  shippingAddress: address,
  placedAt: '2026-11-25T10:00:00.000Z',
};

describe('the bounds on what reaches an event', () => {
  it('keep the largest order the schemas allow far under the bus message limit', () => {
    const bytes = encodeEnvelope(envelope('OrderCreated', largestOrder));
    expect(bytes.length).toBeLessThan(BUS_MESSAGE_LIMIT / 16);
  });

  it.each([
    ['paymentMethod', { ...largestOrder, paymentMethod: text(1_000_000) }],
    ['customerId', { ...largestOrder, customerId: text(129) }],
    ['lines', { ...largestOrder, lines: [...largestOrder.lines, largestOrder.lines[0]] }],
  ])('refuse an OrderCreated whose %s is over its bound', (field, data) => {
    expect(() => encodeEnvelope(envelope('OrderCreated', data))).toThrow(
      new RegExp(`invalid OrderCreated data.*${field}`),
    );
  });

  it('refuse an envelope whose cause is an overlong request id', () => {
    expect(() => encodeEnvelope(envelope('OrderCreated', largestOrder, text(129)))).toThrow(
      /malformed envelope.*correlationId/,
    );
  });

  it.each([
    [
      'PaymentFailed',
      { orderId: 'o-1', amount: usd, method: 'pm', reason: 'DECLINED', detail: text(501) },
    ],
    ['ShipmentFailed', { orderId: 'o-1', reason: 'LOST_IN_TRANSIT', detail: text(501) }],
    ['OrderCancelled', { orderId: 'o-1', reason: 'CUSTOMER_CANCELLED', detail: text(501) }],
    ['ShipmentDispatched', { orderId: 'o-1', carrier: text(129), trackingNumber: 'T' }],
  ])('refuse a %s whose free text is over its bound', (type, data) => {
    expect(() => encodeEnvelope(envelope(type, data))).toThrow(ContractViolation);
  });
});
