import type { AlertRuleDefinition, AlertStatus } from './alert-rule';

/** What of a rule the state machine reads; the metric and its window are the caller's. */
export type AlertCondition = Pick<
  AlertRuleDefinition,
  'comparison' | 'threshold' | 'pendingMs' | 'hysteresis'
>;

export interface AlertRuntimeState {
  readonly state: AlertStatus;
  /** Epoch ms the state was entered; for PENDING, when the condition started holding. */
  readonly since: number;
}

export interface AlertObservation {
  readonly value: number;
  /** Epoch ms the value was observed. */
  readonly at: number;
}

/** Shaped like the RecordTransition command, which the caller sends with the rule's id. */
export interface AlertTransition {
  readonly from: AlertStatus;
  readonly to: AlertStatus;
  readonly value: number;
  readonly at: number;
}

export interface AlertEvaluation {
  readonly state: AlertRuntimeState;
  /** Present only when the state moved. */
  readonly transition?: AlertTransition;
}

const breached = (rule: AlertCondition, value: number): boolean => {
  switch (rule.comparison) {
    case 'ABOVE':
      return value > rule.threshold;
    case 'BELOW':
      return value < rule.threshold;
    default: {
      const unhandled: never = rule.comparison;
      throw new Error(`unhandled comparison ${JSON.stringify(unhandled)}`);
    }
  }
};

/** Past the threshold by the hysteresis, so a value hovering at the threshold cannot flap. */
const resolved = (rule: AlertCondition, value: number): boolean => {
  switch (rule.comparison) {
    case 'ABOVE':
      return value <= rule.threshold - rule.hysteresis;
    case 'BELOW':
      return value >= rule.threshold + rule.hysteresis;
    default: {
      const unhandled: never = rule.comparison;
      throw new Error(`unhandled comparison ${JSON.stringify(unhandled)}`);
    }
  }
};

const move = (
  from: AlertRuntimeState,
  to: AlertStatus,
  { value, at }: AlertObservation,
): AlertEvaluation => ({
  state: { state: to, since: at },
  transition: { from: from.state, to, value, at },
});

/** Judges one observation of the rule's metric: OK → PENDING → FIRING → OK. */
export const evaluate = (
  rule: AlertCondition,
  current: AlertRuntimeState,
  observation: AlertObservation,
): AlertEvaluation => {
  const stay: AlertEvaluation = { state: current };
  switch (current.state) {
    case 'OK':
      if (!breached(rule, observation.value)) return stay;
      return move(current, rule.pendingMs === 0 ? 'FIRING' : 'PENDING', observation);
    case 'PENDING':
      if (!breached(rule, observation.value)) return move(current, 'OK', observation);
      return observation.at - current.since >= rule.pendingMs
        ? move(current, 'FIRING', observation)
        : stay;
    case 'FIRING':
      return resolved(rule, observation.value) ? move(current, 'OK', observation) : stay;
    default: {
      const unhandled: never = current.state;
      throw new Error(`unhandled alert state ${JSON.stringify(unhandled)}`);
    }
  }
};
