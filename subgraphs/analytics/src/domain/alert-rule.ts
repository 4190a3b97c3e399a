import type { Decider, DomainEvent, EventData } from '@orderflow/contracts';
import { AlertRuleDefinitionV1, AlertStateChangedV1, DomainError } from '@orderflow/contracts';

export type AlertRuleDefinition = EventData<'AlertRuleCreated'>;
export type AlertStatus = EventData<'AlertStateChanged'>['to'];

export type AlertRuleCommand =
  | { readonly type: 'CreateAlertRule'; readonly definition: AlertRuleDefinition }
  | { readonly type: 'ChangeAlertRule'; readonly definition: AlertRuleDefinition }
  | { readonly type: 'DeleteAlertRule'; readonly ruleId: string }
  | {
      readonly type: 'RecordTransition';
      readonly ruleId: string;
      readonly from: AlertStatus;
      readonly to: AlertStatus;
      readonly value: number;
      /** Epoch ms, as the evaluator's transition carries it; the event records it as ISO. */
      readonly at: number;
    };

export type AlertRuleEvent = DomainEvent<
  'AlertRuleCreated' | 'AlertRuleChanged' | 'AlertRuleDeleted' | 'AlertStateChanged'
>;

/**
 * One rule per ruleId. A deleted rule keeps its last definition and alert state, so its history
 * still reads whole; creating it again starts a new life at OK.
 */
export type AlertRuleState =
  | { readonly status: 'absent'; readonly alertState: 'OK' }
  | {
      readonly status: 'active' | 'deleted';
      readonly definition: AlertRuleDefinition;
      readonly alertState: AlertStatus;
      /**
       * Epoch ms of the transition into `alertState`: for PENDING, when the breach began, which
       * the evaluator needs after a restart. Undefined until the rule's first transition.
       */
      readonly alertSince?: number;
    };

const definitionFields = Object.keys(AlertRuleDefinitionV1.shape) as (keyof AlertRuleDefinition)[];

const sameDefinition = (a: AlertRuleDefinition, b: AlertRuleDefinition): boolean =>
  definitionFields.every((field) => a[field] === b[field]);

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Every problem at once, each named by its field, so the admin fixes the input in one go. */
const badInput = (issues: readonly Issue[]) =>
  new DomainError(
    'BAD_USER_INPUT',
    issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
  );

/** The bounds are the schema's; the parsed copy is what the event records. */
const validDefinition = (definition: AlertRuleDefinition): AlertRuleDefinition => {
  const checked = AlertRuleDefinitionV1.safeParse(definition);
  if (!checked.success) throw badInput(checked.error.issues);
  return checked.data;
};

const noSuchRule = (ruleId: string, status: 'absent' | 'deleted') =>
  new DomainError(
    'NOT_FOUND',
    status === 'absent'
      ? `alert rule ${ruleId} does not exist`
      : `alert rule ${ruleId} was deleted`,
  );

const decide = (command: AlertRuleCommand, state: AlertRuleState): AlertRuleEvent[] => {
  switch (command.type) {
    case 'CreateAlertRule': {
      const definition = validDefinition(command.definition);
      if (state.status !== 'active') return [{ type: 'AlertRuleCreated', data: definition }];
      // A retry of the create that made it is answered as a success; anything else is a clash.
      if (sameDefinition(state.definition, definition)) return [];
      throw new DomainError(
        'CONFLICT',
        `alert rule ${definition.ruleId} already exists with another definition; change it instead`,
      );
    }
    case 'ChangeAlertRule': {
      const definition = validDefinition(command.definition);
      if (state.status !== 'active') throw noSuchRule(definition.ruleId, state.status);
      if (sameDefinition(state.definition, definition)) return [];
      /*
       * The alert state is kept: resetting a FIRING rule to OK would leave its history with a
       * firing that never resolved. The evaluator judges the next observation by the new
       * definition and records the move it makes (a PENDING rule keeps its start, so a shorter
       * pendingMs may fire it at once).
       */
      return [{ type: 'AlertRuleChanged', data: definition }];
    }
    case 'DeleteAlertRule': {
      const { ruleId } = command;
      if (state.status === 'absent') throw noSuchRule(ruleId, 'absent');
      return state.status === 'active' ? [{ type: 'AlertRuleDeleted', data: { ruleId } }] : [];
    }
    case 'RecordTransition': {
      const { ruleId, from, to, value, at } = command;
      const when = new Date(at);
      if (Number.isNaN(when.getTime())) throw badInput([{ path: ['at'], message: 'not a time' }]);
      const checked = AlertStateChangedV1.safeParse({
        ruleId,
        from,
        to,
        value,
        at: when.toISOString(),
      });
      if (!checked.success) throw badInput(checked.error.issues);
      if (from === to) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `a transition changes the state; ${from} to ${to} does not`,
        );
      }
      if (state.status !== 'active') throw noSuchRule(ruleId, state.status);
      // Delivery is at least once: the transition last recorded, retried, is already there.
      if (state.alertState === to && state.alertSince === at) return [];
      // Only from the state the rule is in, so a stale evaluator cannot contradict the history.
      if (state.alertState !== from) {
        throw new DomainError(
          'CONFLICT',
          `alert rule ${ruleId} is ${state.alertState}, not ${from}; read it again before moving it`,
        );
      }
      return [{ type: 'AlertStateChanged', data: checked.data }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled alert rule command ${JSON.stringify(unhandled)}`);
    }
  }
};

const evolve = (state: AlertRuleState, event: AlertRuleEvent): AlertRuleState => {
  if (event.type === 'AlertRuleCreated') {
    return { status: 'active', definition: event.data, alertState: 'OK' };
  }
  // A rule's stream begins with its creation; nothing else can apply to a rule not yet made.
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'AlertRuleChanged':
      return { ...state, definition: event.data };
    case 'AlertRuleDeleted':
      return { ...state, status: 'deleted' };
    case 'AlertStateChanged':
      return { ...state, alertState: event.data.to, alertSince: Date.parse(event.data.at) };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled alert rule event ${JSON.stringify(unhandled)}`);
    }
  }
};

export const alertRuleDecider: Decider<AlertRuleCommand, AlertRuleState, AlertRuleEvent> = {
  decide,
  evolve,
  initialState: (): AlertRuleState => ({ status: 'absent', alertState: 'OK' }),
};
