import type { RequestContext } from '@orderflow/runtime';
import type { AlertQueries } from '../../application/alert-queries';
import type { alertRuleCommands } from '../../application/alert-rules';
import type { Ingestion } from '../../application/ingest';
import type { MetricsQueries } from '../../application/metrics-queries';
import type { watchMetrics } from '../../application/metrics-updates';

export interface AnalyticsContext extends RequestContext {
  readonly metrics: MetricsQueries;
  readonly watchMetrics: ReturnType<typeof watchMetrics>;
  readonly alertRules: ReturnType<typeof alertRuleCommands>;
  readonly alerts: AlertQueries;
  readonly ingestion: Ingestion;
}

export type AnalyticsParts = Omit<AnalyticsContext, keyof RequestContext>;

export const analyticsContext =
  (parts: AnalyticsParts) =>
  (base: RequestContext): AnalyticsContext => ({ ...base, ...parts });
