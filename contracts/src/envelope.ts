import { z } from 'zod';

/**
 * The envelope every message on the bus carries. `data` is validated separately,
 * against the schema of the envelope's `type` at its `version`.
 */
export const EnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  aggregateId: z.string().min(1),
  aggregateVersion: z.number().int().positive(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1),
  /** What the cause was: an event type, or `request` / `deadline`; for "what happened to X?". */
  causationType: z.string().min(1).optional(),
  data: z.unknown(),
});

export type EnvelopeMeta = Omit<z.infer<typeof EnvelopeSchema>, 'type' | 'data'>;
