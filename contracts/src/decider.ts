import type { DomainEvent } from './catalog';

/**
 * A pure aggregate: decide what happened from a command and the current state, and fold what
 * happened into the state. No I/O, no clock, no randomness: time and ids arrive in the command.
 * The type lives here, beside the events it speaks, so services' domain code can name it without
 * depending on the runtime.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}
