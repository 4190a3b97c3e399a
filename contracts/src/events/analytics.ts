import { z } from 'zod';
import { plainText, Sku } from '../primitives';

/** An alert rule's id, chosen by the admin who writes it; it names a subject token. */
export const AlertRuleId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'a rule id may contain only letters, digits, "-" and "_"');

/** What a rule watches: a metric's value over the last `windowMs`, compared with a threshold. */
export const AlertRuleDefinitionV1 = z.object({
  ruleId: AlertRuleId,
  name: plainText(z.string().min(1).max(200)),
  /** A metric name the analytics service computes, such as `orders_per_minute`. */
  metric: z.string().min(1).max(64),
  comparison: z.enum(['ABOVE', 'BELOW']),
  threshold: z.number().finite(),
  windowMs: z.number().int().min(1_000).max(86_400_000),
  /** How long the condition must hold before the rule fires. */
  pendingMs: z.number().int().min(0).max(86_400_000),
  /** How far back past the threshold the value must go before a firing rule resolves. */
  hysteresis: z.number().finite().nonnegative(),
});

export const AlertRuleCreatedV1 = AlertRuleDefinitionV1;
export const AlertRuleChangedV1 = AlertRuleDefinitionV1;
export const AlertRuleDeletedV1 = z.object({ ruleId: AlertRuleId });

export const AlertState = z.enum(['OK', 'PENDING', 'FIRING']);

/** A rule's state moved: its history is these events. */
export const AlertStateChangedV1 = z.object({
  ruleId: AlertRuleId,
  from: AlertState,
  to: AlertState,
  /** The metric's value that moved it. */
  value: z.number().finite(),
  at: z.iso.datetime(),
});

/*
 * Ingested events: clickstream and client telemetry, from producers (a shop front, an app) rather
 * than from a service's decision. Their event time is the envelope's `occurredAt`, as the client
 * saw it; the aggregate is the browsing session.
 */

export const SessionId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'a session id may contain only letters, digits, "-" and "_"');

export const PageViewedV1 = z.object({
  sessionId: SessionId,
  path: plainText(z.string().min(1).max(500)),
});
export const ProductViewedV1 = z.object({ sessionId: SessionId, sku: Sku });
/** Where a visitor saw a product: the shop's web front, its app, or not known (events before v2). */
export const ClickSource = z.enum(['WEB', 'APP', 'UNKNOWN']);
/** v2 says where the product was seen; v1 events are read as `source: 'UNKNOWN'`. */
export const ProductViewedV2 = ProductViewedV1.extend({ source: ClickSource });
/** ProductViewed v1 to v2: a v1 event never said where it was seen. */
export const upcastProductViewedV1 = (data: unknown): unknown =>
  typeof data === 'object' && data !== null && !Array.isArray(data)
    ? { ...data, source: 'UNKNOWN' }
    : data;
export const AddedToCartV1 = z.object({
  sessionId: SessionId,
  sku: Sku,
  quantity: z.number().int().positive().max(10_000),
});
export const CheckoutStartedV1 = z.object({ sessionId: SessionId });
/** A measurement a client took of itself, such as `page_load_ms`. */
export const ClientTelemetryV1 = z.object({
  sessionId: SessionId,
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9_]*$/, 'a telemetry name is snake_case'),
  value: z.number().finite(),
});
