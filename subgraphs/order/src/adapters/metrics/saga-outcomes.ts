import type { Envelope } from '@orderflow/contracts';
import { counter } from '@orderflow/runtime';

const outcomes = counter({
  name: 'orderflow_saga_outcomes_total',
  help: 'Orders this process brought to an end: completed, or cancelled by reason',
  labelNames: ['outcome', 'reason'],
});

/** Counts the sagas that end with what the order service just appended. */
export const countSagaOutcomes = (appended: readonly Envelope[]): void => {
  for (const event of appended) {
    if (event.type === 'OrderCompleted') outcomes.inc({ outcome: 'completed', reason: 'none' });
    if (event.type === 'OrderCancelled') {
      outcomes.inc({ outcome: 'cancelled', reason: event.data.reason });
    }
  }
};
