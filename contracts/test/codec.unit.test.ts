import {
  ContractViolation,
  decodeEnvelope,
  decodeMessage,
  encodeEnvelope,
  type Envelope,
} from '../src';

const productUpserted: Envelope = {
  id: '7d444840-9dc0-41d1-8b6b-9d4b7d2b2c8a',
  type: 'ProductUpserted',
  version: 1,
  occurredAt: '2026-11-25T10:00:00.000Z',
  aggregateId: 'KB-001',
  aggregateVersion: 1,
  correlationId: 'request-1',
  causationId: 'request-1',
  data: { sku: 'KB-001', name: 'Keyboard', price: { amount: 8900, currency: 'USD' } },
};

const withData = (data: unknown) => ({ ...productUpserted, data }) as unknown as Envelope;

describe('the event codec', () => {
  it('round-trips a valid event', () => {
    expect(decodeMessage(encodeEnvelope(productUpserted))).toEqual(productUpserted);
  });

  it('refuses to publish data that breaks the schema, naming the field', () => {
    const bad = withData({ sku: 'KB-001', name: '', price: { amount: 1.5, currency: 'usd' } });
    expect(() => encodeEnvelope(bad)).toThrow(ContractViolation);
    expect(() => encodeEnvelope(bad)).toThrow(/name.*price\.amount.*price\.currency/s);
  });

  it('refuses to publish an unknown type or an outdated version', () => {
    expect(() => encodeEnvelope({ ...productUpserted, type: 'Nope' } as never)).toThrow(
      /unknown event type "Nope"/,
    );
    expect(() => encodeEnvelope({ ...productUpserted, version: 2 })).toThrow(
      /must be published as v1/,
    );
  });

  it.each([
    ['not JSON', new TextEncoder().encode('{oops'), /not JSON/],
    [
      'a malformed envelope',
      new TextEncoder().encode('{"type":"ProductUpserted"}'),
      /malformed envelope/,
    ],
    [
      'a version from the future',
      new TextEncoder().encode(JSON.stringify({ ...productUpserted, version: 9 })),
      /v9 is newer than the v1/,
    ],
  ])('rejects %s on consume with a ContractViolation', (_case, bytes, message) => {
    expect(() => decodeMessage(bytes)).toThrow(message);
  });

  it('validates data on consume, not only on publish', () => {
    expect(() => decodeEnvelope(withData({ sku: 'KB-001' }))).toThrow(
      /invalid ProductUpserted data/,
    );
  });
});
