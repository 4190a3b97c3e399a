import { z } from 'zod';

/**
 * The envelope every message on the bus carries. `data` is validated separately,
 * against the schema of the envelope's `type` at its `version`.
 */
/** Ids that name aggregates, sagas and causes; bounded like every field that reaches an event. */
const Id = z.string().min(1).max(128);

export const EnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(64),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  aggregateId: Id,
  aggregateVersion: z.number().int().positive(),
  correlationId: Id,
  causationId: Id,
  /** What the cause was: an event type, or `request` / `deadline`; for "what happened to X?". */
  causationType: z.string().min(1).max(64).optional(),
  data: z.unknown(),
});

export type EnvelopeMeta = Omit<z.infer<typeof EnvelopeSchema>, 'type' | 'data'>;
