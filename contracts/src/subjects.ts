import { catalog, type Context, type EventType } from './catalog';

/**
 * One stream per bounded context; one subject per aggregate instance:
 * `<context>.events.<aggregate>.<aggregateId>`.
 */
export interface StreamDefinition {
  readonly name: string;
  readonly subjects: readonly string[];
}

export const streams: Readonly<Record<Context, StreamDefinition>> = {
  inventory: { name: 'INVENTORY', subjects: ['inventory.events.>'] },
  order: { name: 'ORDER', subjects: ['order.events.>'] },
  payment: { name: 'PAYMENT', subjects: ['payment.events.>'] },
  shipping: { name: 'SHIPPING', subjects: ['shipping.events.>'] },
  analytics: { name: 'ANALYTICS', subjects: ['analytics.events.>'] },
  /** Ingested: what producers outside the saga report (clickstream, client telemetry). */
  clickstream: { name: 'CLICKSTREAM', subjects: ['clickstream.events.>'] },
};

export const aggregateSubject = (context: Context, aggregate: string, aggregateId: string) =>
  `${context}.events.${aggregate}.${aggregateId}`;

/** All subjects of one aggregate type, for consumers that care about just that type. */
export const aggregateFilter = (context: Context, aggregate: string) =>
  `${context}.events.${aggregate}.*`;

export const subjectOf = (type: EventType, aggregateId: string) => {
  const { context, aggregate } = catalog[type];
  return aggregateSubject(context, aggregate, aggregateId);
};

/** NATS subject matching: `*` is any one token, `>` (last) is one or more. */
export const matchesFilter = (filter: string, subject: string): boolean => {
  const wanted = filter.split('.');
  const tokens = subject.split('.');
  for (const [i, token] of wanted.entries()) {
    if (token === '>') return tokens.length > i;
    if (token !== '*' && token !== tokens[i]) return false;
  }
  return wanted.length === tokens.length;
};
