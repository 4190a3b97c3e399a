import { DomainError } from '@orderflow/contracts';
import {
  deadlineCause,
  requestCause,
  requireAdmin,
  type AggregateRepository,
  type Viewer,
} from '@orderflow/runtime';
import type {
  AlertRuleCommand,
  AlertRuleDefinition,
  AlertRuleEvent,
  AlertRuleState,
} from '../domain/alert-rule';
import { evaluate } from '../domain/alert-state';
import { alertMetrics, isAlertMetric } from './alert-metrics';
import type { AlertRuleView } from './alert-queries';
import type { MetricsQueries } from './metrics-queries';

export type AlertRuleRepository = AggregateRepository<
  AlertRuleCommand,
  AlertRuleState,
  AlertRuleEvent
>;

const checkedMetric = (definition: AlertRuleDefinition) => {
  if (!isAlertMetric(definition.metric)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `metric: unknown metric ${JSON.stringify(definition.metric)}; one of ${Object.keys(alertMetrics).join(', ')}`,
    );
  }
};

/** The rule as the command left it: what the API answers, before the read model catches up. */
const ruleOf = (
  state: AlertRuleState,
  ruleId: string,
  updatedAt: string | undefined,
): AlertRuleView => {
  if (state.status === 'absent')
    throw new DomainError('NOT_FOUND', `there is no alert rule ${ruleId}`);
  return {
    ...state.definition,
    state: state.alertState,
    since:
      state.alertSince === undefined
        ? (updatedAt ?? new Date(0).toISOString())
        : new Date(state.alertSince).toISOString(),
  };
};

/** Admins write rules; each change is an event on the rule's own subject. */
export const alertRuleCommands = (
  rules: AlertRuleRepository,
  clock: () => Date = () => new Date(),
) => {
  const run = async (
    ruleId: string,
    command: AlertRuleCommand,
    viewer: Viewer,
    requestId: string,
  ) => {
    requireAdmin(viewer, 'alert rules');
    const handled = await rules.handle(ruleId, command, requestCause(requestId, ruleId, clock()));
    return ruleOf(handled.state, ruleId, handled.updatedAt);
  };
  return {
    create: (definition: AlertRuleDefinition, viewer: Viewer, requestId: string) => {
      requireAdmin(viewer, 'createAlertRule');
      checkedMetric(definition);
      return run(definition.ruleId, { type: 'CreateAlertRule', definition }, viewer, requestId);
    },
    change: (definition: AlertRuleDefinition, viewer: Viewer, requestId: string) => {
      requireAdmin(viewer, 'changeAlertRule');
      checkedMetric(definition);
      return run(definition.ruleId, { type: 'ChangeAlertRule', definition }, viewer, requestId);
    },
    delete: (ruleId: string, viewer: Viewer, requestId: string) => {
      requireAdmin(viewer, 'deleteAlertRule');
      return run(ruleId, { type: 'DeleteAlertRule', ruleId }, viewer, requestId);
    },
  };
};

/**
 * Evaluates one rule now: its metric over its window, through the state machine; a move is
 * recorded on the rule's subject, where the decider refuses one from a stale state (another
 * replica got there first), which is then no error.
 */
export const evaluateAlertRule =
  (rules: AlertRuleRepository, queries: MetricsQueries) =>
  async (ruleId: string, now: Date): Promise<void> => {
    const { state } = await rules.load(ruleId);
    if (state.status !== 'active') return;
    const { definition } = state;
    const metric = definition.metric;
    if (!isAlertMetric(metric)) return;
    const minutes = Math.max(1, Math.ceil(definition.windowMs / 60_000));
    const snapshot = await queries.snapshotFor(minutes, now.getTime());
    const value = alertMetrics[metric](snapshot);
    if (value === undefined || !Number.isFinite(value)) return;
    const { transition } = evaluate(
      definition,
      { state: state.alertState, since: state.alertSince ?? 0 },
      { value, at: now.getTime() },
    );
    if (transition === undefined) return;
    try {
      await rules.handle(
        ruleId,
        { type: 'RecordTransition', ruleId, ...transition },
        deadlineCause(
          `alert ${ruleId} ${transition.from}->${transition.to} ${transition.at}`,
          ruleId,
          now,
        ),
      );
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
    }
  };
