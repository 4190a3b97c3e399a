import type { Resolvers } from '@orderflow/runtime';
import type { AlertRuleView, AlertTransitionView } from '../../application/alert-queries';
import type { IngestedItem } from '../../application/ingest';
import type { MetricPoint, MetricsSnapshot, SeriesQuery } from '../../application/metrics-queries';
import type { AlertRuleDefinition } from '../../domain/alert-rule';
import type { AnalyticsContext } from './context';

interface WindowArgs {
  readonly window?: { minutes?: number | null } | null;
}

interface AlertRuleInput {
  readonly input: Omit<AlertRuleDefinition, 'ruleId' | 'hysteresis'> & {
    readonly id: string;
    readonly hysteresis?: number | null;
  };
}

const definitionOf = ({
  input: { id, hysteresis, ...rest },
}: AlertRuleInput): AlertRuleDefinition => ({
  ...rest,
  ruleId: id,
  hysteresis: hysteresis ?? 0,
});

const ruleView = (rule: AlertRuleView) => ({ ...rule, id: rule.ruleId });

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

/** Times are epoch ms inside, ISO 8601 outside. */
const toGraphQL = (snapshot: MetricsSnapshot) => ({
  ...snapshot,
  from: iso(snapshot.from),
  to: iso(snapshot.to),
  watermark: iso(snapshot.watermark),
});

export const resolvers: Resolvers<AnalyticsContext> = {
  Query: {
    metrics: async (_: unknown, { window }: WindowArgs, { metrics, viewer }: AnalyticsContext) =>
      toGraphQL(await metrics.snapshot(window, viewer, Date.now())),
    metricSeries: async (_: unknown, query: SeriesQuery, { metrics, viewer }: AnalyticsContext) =>
      (await metrics.series(query, viewer)).map((point: MetricPoint) => ({
        ...point,
        bucket: iso(point.bucket),
      })),
    alertRules: async (_: unknown, __: unknown, { alerts, viewer }: AnalyticsContext) =>
      (await alerts.list(viewer)).map(ruleView),
    alertRule: async (_: unknown, { id }: { id: string }, { alerts, viewer }: AnalyticsContext) => {
      const rule = await alerts.get(id, viewer);
      return rule && ruleView(rule);
    },
  },
  Mutation: {
    ingestEvents: (_: unknown, { events }: { events: IngestedItem[] }, context: AnalyticsContext) =>
      context.ingestion.ingest(events, context.viewer, context.requestId),
    createAlertRule: async (_: unknown, args: AlertRuleInput, context: AnalyticsContext) => {
      const { alertRules, viewer, requestId } = context;
      return ruleView(await alertRules.create(definitionOf(args), viewer, requestId));
    },
    changeAlertRule: async (_: unknown, args: AlertRuleInput, context: AnalyticsContext) => {
      const { alertRules, viewer, requestId } = context;
      return ruleView(await alertRules.change(definitionOf(args), viewer, requestId));
    },
    deleteAlertRule: async (_: unknown, { id }: { id: string }, context: AnalyticsContext) => {
      await context.alertRules.delete(id, context.viewer, context.requestId);
      return true;
    },
  },
  AlertRule: {
    history: ({ ruleId }: AlertRuleView, _: unknown, { alerts }: AnalyticsContext) =>
      alerts.history(ruleId),
  },
  Subscription: {
    alertStateChanged: {
      subscribe: (_: unknown, { ruleId }: { ruleId?: string | null }, context: AnalyticsContext) =>
        context.alerts.watch(ruleId, context.viewer),
      resolve: (change: AlertTransitionView) => change,
    },
    metricsUpdated: {
      subscribe: (_: unknown, { window }: WindowArgs, { watchMetrics, viewer }: AnalyticsContext) =>
        watchMetrics(window, viewer),
      resolve: (snapshot: MetricsSnapshot) => toGraphQL(snapshot),
    },
  },
};
