import { DomainError } from '@orderflow/contracts';
import type { DeadLetter, ReplayOutcome, Viewer } from '@orderflow/runtime';
import type { DeadLetters } from './ports';

export interface DeadLetterQuery {
  readonly durable?: string | null | undefined;
  readonly after?: string | null | undefined;
  readonly first?: number | null | undefined;
}

export interface DeadLetterAdmin {
  list(query: DeadLetterQuery, viewer: Viewer): Promise<DeadLetter[]>;
  get(seq: string, viewer: Viewer): Promise<DeadLetter | undefined>;
  replay(seq: string, viewer: Viewer): Promise<ReplayOutcome>;
  discard(seq: string, viewer: Viewer): Promise<boolean>;
}

const MAX_PAGE = 100;

const adminOnly = (viewer: Viewer) => {
  if (!viewer.admin) {
    throw new DomainError('FORBIDDEN', 'dead letters are for operators: they need the admin scope');
  }
};

const seqOf = (seq: string, field = 'seq'): number => {
  const parsed = Number(seq);
  if (!/^\d+$/.test(seq) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} is a dead letter's sequence number, not "${seq}"`,
    );
  }
  return parsed;
};

/** Operators list, inspect, replay and discard what consumers gave up on; customers may not. */
export const deadLetterAdmin = (letters: DeadLetters): DeadLetterAdmin => ({
  list: async ({ durable, after, first }, viewer) => {
    adminOnly(viewer);
    const limit = first ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new DomainError('BAD_USER_INPUT', `first is 1 to ${MAX_PAGE}, not ${limit}`);
    }
    return letters.list({
      ...(durable ? { durable } : {}),
      ...(after ? { afterSeq: seqOf(after, 'after') } : {}),
      limit,
    });
  },
  get: async (seq, viewer) => {
    adminOnly(viewer);
    return letters.get(seqOf(seq));
  },
  replay: async (seq, viewer) => {
    adminOnly(viewer);
    return letters.replay(seqOf(seq));
  },
  discard: async (seq, viewer) => {
    adminOnly(viewer);
    return letters.discard(seqOf(seq));
  },
});
