import type { Decider, DomainEvent } from '@orderflow/contracts';

/** The state after `events`, from the decider's initial state. */
export const fold = <State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());

/**
 * The given/when/then of decider tests: `scenario(decider)(...pastEvents).when(command)` is what
 * the decider decides (or throws); `.refusal(command)` is what it throws (failing the test if it
 * decides instead); `.state()` is the state the past events fold to.
 */
export const scenario =
  <Command, State, Event extends DomainEvent>(decider: Decider<Command, State, Event>) =>
  (...history: readonly Event[]) => {
    const when = (command: Command) => decider.decide(command, fold(decider, history));
    return {
      state: () => fold(decider, history),
      when,
      refusal: (command: Command): unknown => {
        let decided: readonly Event[];
        try {
          decided = when(command);
        } catch (error) {
          return error;
        }
        throw new Error(`expected a refusal, but the decider decided ${JSON.stringify(decided)}`);
      },
    };
  };
