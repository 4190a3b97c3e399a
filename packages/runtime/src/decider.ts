import type { DomainEvent } from '@orderflow/contracts';

/**
 * A pure aggregate: decide what happened from a command and the current state, and fold what
 * happened into the state. No I/O, no clock, no randomness: time and ids arrive in the command.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

export const fold = <State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());
