import type { DocumentStore } from '@orderflow/runtime';
import type {
  AlertRuleView,
  AlertRulesView,
  AlertTransitionView,
} from '../../application/alert-queries';

export const ALERT_RULES = 'alert_rules';
export const ALERT_TRANSITIONS = 'alert_transitions';

type RuleDocument = AlertRuleView & { readonly _id: string; readonly deleted: boolean };
type TransitionDocument = AlertTransitionView & { readonly _id: string };

const view = ({ _id, deleted: _deleted, ...rule }: RuleDocument): AlertRuleView => rule;

export const alertRulesView = (store: DocumentStore): AlertRulesView => ({
  list: async () =>
    (await store.collection<RuleDocument>(ALERT_RULES).find({ where: { deleted: false } })).map(
      view,
    ),
  get: async (ruleId) => {
    const rule = await store.collection<RuleDocument>(ALERT_RULES).get(ruleId);
    return rule === undefined || rule.deleted ? undefined : view(rule);
  },
  history: async (ruleId) =>
    (
      await store
        .collection<TransitionDocument>(ALERT_TRANSITIONS)
        .find({ where: { ruleId }, orderBy: { at: 'asc' } })
    ).map(({ _id, ...transition }) => transition),
});
