import {
  aggregateFilter,
  catalog,
  streams,
  type DomainEvent,
  type Envelope,
} from '@orderflow/contracts';
import type { DocumentChange, ProjectionSpec } from '@orderflow/runtime';
import { ALERT_RULES, ALERT_TRANSITIONS } from './alert-rules-read-model';

type RuleEvent = DomainEvent<
  'AlertRuleCreated' | 'AlertRuleChanged' | 'AlertRuleDeleted' | 'AlertStateChanged'
>;

const isRuleEvent = (event: Envelope): event is Envelope<RuleEvent> =>
  catalog[event.type].context === 'analytics' && catalog[event.type].aggregate === 'alert-rule';

/** Alert rules as the API lists them, and every transition of their state. */
export const alertRulesProjection: ProjectionSpec = {
  name: ALERT_RULES,
  version: 1,
  stream: streams.analytics.name,
  filterSubject: aggregateFilter('analytics', 'alert-rule'),
  collections: [
    { name: ALERT_RULES },
    { name: ALERT_TRANSITIONS, indexes: [{ ruleId: 'asc', at: 'asc' }] },
  ],
  project: (event): DocumentChange[] => {
    if (!isRuleEvent(event)) return [];
    switch (event.type) {
      case 'AlertRuleCreated':
        return [
          {
            collection: ALERT_RULES,
            id: event.data.ruleId,
            set: { ...event.data, state: 'OK', since: event.occurredAt, deleted: false },
          },
        ];
      case 'AlertRuleChanged':
        return [{ collection: ALERT_RULES, id: event.data.ruleId, set: { ...event.data } }];
      case 'AlertRuleDeleted':
        return [{ collection: ALERT_RULES, id: event.data.ruleId, set: { deleted: true } }];
      case 'AlertStateChanged':
        return [
          {
            collection: ALERT_RULES,
            id: event.data.ruleId,
            set: { state: event.data.to, since: event.data.at },
          },
          { collection: ALERT_TRANSITIONS, id: event.id, set: { ...event.data } },
        ];
    }
  },
};
