import type { DocumentChange, Fields, ProjectedEvent } from './document-store';

/** A stored document's fields (without `_id`) and the sequence of the last event applied. */
export interface Versioned {
  readonly fields: Fields;
  readonly seq: number;
}

/** The final state of one document after a batch: `undefined` when the batch removed it. */
export interface Write {
  readonly collection: string;
  readonly id: string;
  readonly state: Versioned | undefined;
}

/** The documents a batch touches, collection by collection: what an adapter loads first. */
export const touchedIds = (events: readonly ProjectedEvent[]): Map<string, Set<string>> => {
  const touched = new Map<string, Set<string>>();
  for (const { changes } of events) {
    for (const { collection, id } of changes) {
      const ids = touched.get(collection) ?? new Set<string>();
      ids.add(id);
      touched.set(collection, ids);
    }
  }
  return touched;
};

export class InvalidChange extends Error {
  override readonly name = 'InvalidChange';
}

const definedOnly = (fields: Fields | undefined): Fields =>
  Object.fromEntries(Object.entries(fields ?? {}).filter(([, value]) => value !== undefined));

const incremented = (fields: Fields, change: DocumentChange & { increment?: object }) => {
  const result: Record<string, unknown> = { ...fields };
  for (const [field, delta] of Object.entries(change.increment ?? {})) {
    const current = result[field] ?? 0;
    if (typeof current !== 'number' || !Number.isFinite(delta)) {
      throw new InvalidChange(
        `cannot add ${String(delta)} to ${change.collection}/${change.id}.${field} (${JSON.stringify(current)})`,
      );
    }
    result[field] = current + delta;
  }
  return result;
};

/**
 * Applies one change to a document's state, unless the document already reflects an event at or
 * after `seq`: the guard that makes applying an event twice change nothing.
 */
export const applyChange = (
  current: Versioned | undefined,
  change: DocumentChange,
  seq: number,
): Versioned | undefined => {
  if (current !== undefined && current.seq >= seq) return current;
  if ('remove' in change) return undefined;
  const base = current === undefined ? definedOnly(change.setOnInsert) : current.fields;
  return { fields: { ...incremented(base, change), ...definedOnly(change.set) }, seq };
};

/**
 * What a batch leaves behind, one write per touched document, given the documents' stored
 * states. Pure, so both adapters apply events the same way: load, plan, write in a transaction.
 */
export const planWrites = (
  events: readonly ProjectedEvent[],
  stored: (collection: string, id: string) => Versioned | undefined,
): Write[] => {
  const working = new Map<string, Write>();
  for (const { seq, changes } of events) {
    for (const change of changes) {
      const key = `${change.collection}\u0000${change.id}`;
      const current = working.has(key)
        ? working.get(key)!.state
        : stored(change.collection, change.id);
      const state = applyChange(current, change, seq);
      if (state !== current || working.has(key)) {
        working.set(key, { collection: change.collection, id: change.id, state });
      }
    }
  }
  return [...working.values()];
};
