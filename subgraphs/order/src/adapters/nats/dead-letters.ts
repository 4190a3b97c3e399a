import {
  discardDeadLetter,
  getDeadLetter,
  listDeadLetters,
  replayDeadLetter,
  type Nats,
} from '@orderflow/runtime';
import type { DeadLetters } from '../../application/ports';

export const deadLettersOnBus = (nats: Nats): DeadLetters => ({
  list: (options) => listDeadLetters(nats, options),
  get: (seq) => getDeadLetter(nats, seq),
  replay: (seq) => replayDeadLetter(nats, seq),
  discard: (seq) => discardDeadLetter(nats, seq),
});
