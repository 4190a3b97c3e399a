import { aggregateFilter, streams } from '@orderflow/contracts';
import { AggregateRepository, loadConfig, type ServiceDefinition } from '@orderflow/runtime';
import { z } from 'zod';
import { analyticsContext, type AnalyticsContext } from './adapters/graphql/context';
import { resolvers } from './adapters/graphql/resolvers';
import { typeDefs } from './adapters/graphql/schema';
import { clickstreamLog } from './adapters/nats/clickstream-log';
import { consumerLagSource } from './adapters/nats/consumer-lag';
import { alertRulesProjection } from './adapters/read-models/alert-rules-projection';
import { alertRulesView } from './adapters/read-models/alert-rules-read-model';
import { clickstreamProcessor } from './adapters/read-models/clickstream-processor';
import {
  compensatingContexts,
  compensationsProjection,
} from './adapters/read-models/compensations-projection';
import { metricsViews } from './adapters/read-models/metrics-read-model';
import { ordersProcessor } from './adapters/read-models/orders-processor';
import { paymentsProcessor } from './adapters/read-models/payments-processor';
import {
  CLICKSTREAM_PROCESSOR,
  ORDERS_PROCESSOR,
  PAYMENTS_PROCESSOR,
} from './adapters/read-models/views';
import { viewChanges } from './adapters/read-models/view-changes';
import { alertQueries } from './application/alert-queries';
import { alertRuleCommands, evaluateAlertRule } from './application/alert-rules';
import { ingestion } from './application/ingest';
import { metricsQueries } from './application/metrics-queries';
import { watchMetrics } from './application/metrics-updates';
import { alertRuleDecider } from './domain/alert-rule';

/** Rules are evaluated this often: a rule's pending duration is as fine as this. */
const ALERT_EVALUATION_MS = 1_000;

/** The analytics service's own settings. */
export const analyticsSettings = z.object({
  /**
   * How far behind the greatest event time seen an event may be and still count in its bucket;
   * an older one is counted as late instead.
   */
  ANALYTICS_ALLOWED_LATENESS_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
});

export const analyticsService: ServiceDefinition<AnalyticsContext> = {
  name: 'analytics',
  database: 'orderflow_analytics',
  stream: streams.analytics,
  alsoCreates: [streams.clickstream],
  wire: (infrastructure) => {
    const settings = loadConfig(analyticsSettings, infrastructure.env);
    const lateness = settings.ANALYTICS_ALLOWED_LATENESS_MS;
    const ingest = ingestion(clickstreamLog(infrastructure.nats));
    const queries = metricsQueries(
      metricsViews(infrastructure.documents),
      consumerLagSource(infrastructure.nats),
      ingest.refused,
    );
    const changes = viewChanges(infrastructure.onStored, [
      ORDERS_PROCESSOR,
      PAYMENTS_PROCESSOR,
      CLICKSTREAM_PROCESSOR,
    ]);
    const analyticsLog = infrastructure.store(streams.analytics);
    const rules = new AggregateRepository(analyticsLog, alertRuleDecider, {
      context: 'analytics',
      aggregate: 'alert-rule',
    });
    const rulesView = alertRulesView(infrastructure.documents);
    return {
      projections: [
        ordersProcessor(lateness),
        paymentsProcessor(lateness),
        clickstreamProcessor(lateness),
        ...compensatingContexts.map(compensationsProjection),
        alertRulesProjection,
      ],
      consumers: [],
      pollers: [
        {
          name: 'alert-evaluator',
          intervalMs: ALERT_EVALUATION_MS,
          due: async () => (await rulesView.list()).map((rule) => rule.ruleId),
          handle: evaluateAlertRule(rules, queries),
        },
      ],
      graph: {
        typeDefs,
        resolvers,
        context: analyticsContext({
          metrics: queries,
          watchMetrics: watchMetrics(queries, changes),
          alertRules: alertRuleCommands(rules),
          ingestion: ingest,
          alerts: alertQueries(rulesView, () =>
            analyticsLog.follow(aggregateFilter('analytics', 'alert-rule'), 'now'),
          ),
        }),
      },
    };
  },
};
