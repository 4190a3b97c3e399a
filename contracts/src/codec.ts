import type { z } from 'zod';
import { catalog, isEventType, type DomainEvent, type EventDefinition } from './catalog';
import { EnvelopeSchema, type EnvelopeMeta } from './envelope';

export type Envelope<E extends DomainEvent = DomainEvent> = EnvelopeMeta & E;

/** A message that breaks the contract: it must never reach a handler (it is dead-lettered). */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
  }
}

/**
 * A message written by a newer version of its producer: not broken, only ahead of this code. It
 * must not be dead-lettered or skipped; the reader waits for this service to be upgraded.
 */
export class NewerSchemaVersion extends ContractViolation {
  constructor(
    readonly type: string,
    readonly version: number,
    readonly known: number,
  ) {
    super(`${type} v${version} is newer than the v${known} this service knows`);
  }
}

const describe = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);

const definitionOf = (type: string): EventDefinition => {
  if (!isEventType(type)) throw new ContractViolation(`unknown event type "${type}"`);
  return catalog[type];
};

const upcast = (definition: EventDefinition, fromVersion: number, data: unknown) => {
  let current = data;
  for (let version = fromVersion; version < definition.version; version++) {
    const upcaster = definition.upcasters[version];
    if (!upcaster) throw new ContractViolation(`no upcaster from version ${version}`);
    current = upcaster(current);
  }
  return current;
};

/**
 * Reads a message from the bus: checks the envelope, upgrades old versions to the current one,
 * and validates the data. What it returns is always the version this code was written against.
 */
export const decodeEnvelope = (raw: unknown): Envelope => {
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success)
    throw new ContractViolation('malformed envelope', describe(envelope.error));
  const definition = definitionOf(envelope.data.type);
  if (envelope.data.version > definition.version) {
    throw new NewerSchemaVersion(envelope.data.type, envelope.data.version, definition.version);
  }
  const data = definition.schema.safeParse(
    upcast(definition, envelope.data.version, envelope.data.data),
  );
  if (!data.success) {
    throw new ContractViolation(`invalid ${envelope.data.type} data`, describe(data.error));
  }
  return { ...envelope.data, version: definition.version, data: data.data } as Envelope;
};

export const decodeMessage = (bytes: Uint8Array): Envelope => {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ContractViolation('message is not JSON');
  }
  return decodeEnvelope(raw);
};

/** Validates an envelope before it is published; a producer never puts a bad event on the bus. */
export const encodeEnvelope = (envelope: Envelope): Uint8Array => {
  const definition = definitionOf(envelope.type);
  const checked = EnvelopeSchema.safeParse(envelope);
  if (!checked.success) throw new ContractViolation('malformed envelope', describe(checked.error));
  if (envelope.version !== definition.version) {
    throw new ContractViolation(`${envelope.type} must be published as v${definition.version}`);
  }
  const data = definition.schema.safeParse(envelope.data);
  if (!data.success) {
    throw new ContractViolation(`invalid ${envelope.type} data`, describe(data.error));
  }
  return new TextEncoder().encode(JSON.stringify(envelope));
};
