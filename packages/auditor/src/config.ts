import { baseConfig, natsCredentialsPaired, redeliveryWindowMs } from '@orderflow/runtime';
import { z } from 'zod';
import type { AuditOptions } from './invariants';

const millis = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The CLI's settings. The deadlines are read under the order service's own names, so an auditor
 * started with the services' environment measures orders against the deadlines they run under.
 */
export const auditorConfig = baseConfig
  .pick({ NATS_URL: true, NATS_USER: true, NATS_PASSWORD: true })
  .extend({
    ORDER_DEADLINE_INVENTORY_MS: millis(30_000),
    ORDER_DEADLINE_PAYMENT_MS: millis(30_000),
    ORDER_DEADLINE_SHIPPING_MS: millis(60_000),
    ORDER_DEADLINE_DELIVERY_MS: millis(600_000),
    /**
     * How late a reaction may be before its absence is a violation: by default as long as the
     * consumers may take to redeliver, so a live system mid-retry is not reported.
     */
    AUDIT_GRACE_MS: z.coerce.number().int().nonnegative().default(redeliveryWindowMs()),
  })
  .superRefine(natsCredentialsPaired);

export type AuditorConfig = z.infer<typeof auditorConfig>;

/** Each deadline belongs to the status that waits for it (docs/saga.md, Deadlines). */
export const auditOptionsOf = (config: AuditorConfig, now: Date): AuditOptions => ({
  now,
  deadlines: {
    CREATED: config.ORDER_DEADLINE_INVENTORY_MS,
    INVENTORY_RESERVED: config.ORDER_DEADLINE_PAYMENT_MS,
    PAYMENT_CAPTURED: config.ORDER_DEADLINE_SHIPPING_MS,
    SHIPPED: config.ORDER_DEADLINE_DELIVERY_MS,
  },
  graceMs: config.AUDIT_GRACE_MS,
});
