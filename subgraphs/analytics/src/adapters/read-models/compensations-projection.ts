import { aggregateFilter, catalog, streams, type Envelope } from '@orderflow/contracts';
import type { DocumentChange, ProjectionSpec } from '@orderflow/runtime';

/** What undoes a failed saga's effects, by the stream that records it. */
const compensating = {
  inventory: { aggregate: 'reservation', types: ['InventoryReleased'] },
  payment: { aggregate: 'payment', types: ['PaymentRefunded', 'PaymentCancelled'] },
  shipping: { aggregate: 'shipment', types: ['ShipmentCancelled'] },
} as const;

export type CompensatingContext = keyof typeof compensating;
export const compensatingContexts = Object.keys(compensating) as CompensatingContext[];

export const compensationsOf = (context: CompensatingContext) => `${context}_compensations`;

export interface CompensationDocument {
  readonly _id: string;
  /** Event time of the compensation, epoch ms. */
  readonly at: number;
}

/**
 * When each order's effects in one context were undone: stock released, payment refunded or
 * voided, shipment recalled. With the saga's cancellation time, this gives the time to repair.
 */
export const compensationsProjection = (context: CompensatingContext): ProjectionSpec => {
  const { aggregate, types } = compensating[context];
  const undoes = (event: Envelope) =>
    catalog[event.type].context === context && (types as readonly string[]).includes(event.type);
  return {
    name: `analytics-${compensationsOf(context)}`,
    version: 1,
    stream: streams[context].name,
    filterSubject: aggregateFilter(context, aggregate),
    collections: [{ name: compensationsOf(context) }],
    project: (event): DocumentChange[] =>
      undoes(event)
        ? [
            {
              collection: compensationsOf(context),
              id: event.aggregateId,
              set: { at: Date.parse(event.occurredAt) },
            },
          ]
        : [],
  };
};
