import {
  ContractViolation,
  decodeEnvelope,
  decodeMessage,
  encodeEnvelope,
  NewerSchemaVersion,
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

  it('tells a version from the future apart from a broken message', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ ...productUpserted, version: 9 }));
    let caught: unknown;
    try {
      decodeMessage(bytes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NewerSchemaVersion);
    expect(caught).toBeInstanceOf(ContractViolation);
    expect(caught).toMatchObject({ type: 'ProductUpserted', version: 9, known: 1 });
  });

  it('validates data on consume, not only on publish', () => {
    expect(() => decodeEnvelope(withData({ sku: 'KB-001' }))).toThrow(
      /invalid ProductUpserted data/,
    );
  });
});

describe('ProductViewed v2 (an upcast version)', () => {
  const viewed = (version: number, data: unknown) =>
    ({
      ...productUpserted,
      type: 'ProductViewed',
      version,
      aggregateId: 'session-1',
      data,
    }) as unknown as Envelope;

  it('reads a v1 event from the log as v2 with source UNKNOWN', () => {
    const decoded = decodeEnvelope(viewed(1, { sessionId: 'session-1', sku: 'KB-001' }));
    expect(decoded).toMatchObject({
      type: 'ProductViewed',
      version: 2,
      data: { sessionId: 'session-1', sku: 'KB-001', source: 'UNKNOWN' },
    });
  });

  it('still refuses a v1 event that breaks the v1 schema', () => {
    expect(() => decodeEnvelope(viewed(1, { sessionId: 'session-1' }))).toThrow(/sku/);
    expect(() => decodeEnvelope(viewed(1, 'KB-001'))).toThrow(ContractViolation);
  });

  it('round-trips v2, and refuses to publish v1 now', () => {
    const current = viewed(2, { sessionId: 'session-1', sku: 'KB-001', source: 'APP' });
    expect(decodeMessage(encodeEnvelope(current))).toEqual(current);
    expect(() => encodeEnvelope(viewed(1, { sessionId: 'session-1', sku: 'KB-001' }))).toThrow(
      /ProductViewed must be published as v2/,
    );
    expect(() =>
      encodeEnvelope(viewed(2, { sessionId: 'session-1', sku: 'KB-001', source: 'TV' })),
    ).toThrow(/source/);
  });
});
