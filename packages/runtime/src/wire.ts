import { encodeEnvelope, type Envelope } from '@orderflow/contracts';

/**
 * An event as it goes onto the bus. Every publisher builds it here, and the provider side of the
 * message pacts verifies exactly this, so a contract is checked against the bytes JetStream gets.
 */
export interface WireMessage {
  readonly subject: string;
  /** Sent as `Nats-Msg-Id`: JetStream stores a second message with the same id once. */
  readonly msgId: string;
  readonly data: Uint8Array;
}

/** Validates the envelope against its schema (a producer never publishes a bad event). */
export const toWire = (subject: string, envelope: Envelope): WireMessage => ({
  subject,
  msgId: envelope.id,
  data: encodeEnvelope(envelope),
});
