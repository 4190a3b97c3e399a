import { leavable, requireAdmin, type EventFeed, type Viewer } from '@orderflow/runtime';
import type { AlertRuleDefinition, AlertStatus } from '../domain/alert-rule';

export interface AlertRuleView extends AlertRuleDefinition {
  readonly state: AlertStatus;
  /** When it entered that state, ISO 8601. */
  readonly since: string;
}

export interface AlertTransitionView {
  readonly ruleId: string;
  readonly from: AlertStatus;
  readonly to: AlertStatus;
  readonly value: number;
  readonly at: string;
}

export interface AlertRulesView {
  list(): Promise<AlertRuleView[]>;
  get(ruleId: string): Promise<AlertRuleView | undefined>;
  history(ruleId: string): Promise<AlertTransitionView[]>;
}

/** The transitions recorded from now on, straight from the log. */
export type FollowTransitions = () => Promise<EventFeed>;

export const alertQueries = (rules: AlertRulesView, follow: FollowTransitions) => ({
  list: (viewer: Viewer) => {
    requireAdmin(viewer, 'alertRules');
    return rules.list();
  },
  get: (ruleId: string, viewer: Viewer) => {
    requireAdmin(viewer, 'alertRule');
    return rules.get(ruleId);
  },
  history: (ruleId: string) => rules.history(ruleId),
  /** Every state change of every rule, or of one, as it is recorded. */
  watch: async (ruleId: string | null | undefined, viewer: Viewer) => {
    requireAdmin(viewer, 'alertStateChanged');
    const feed = await follow();
    const changes = (async function* () {
      try {
        for await (const { envelope } of feed) {
          if (envelope.type !== 'AlertStateChanged') continue;
          if (ruleId != null && envelope.data.ruleId !== ruleId) continue;
          yield envelope.data;
        }
      } finally {
        await feed.close();
      }
    })();
    return leavable(changes, () => feed.close());
  },
});

export type AlertQueries = ReturnType<typeof alertQueries>;
