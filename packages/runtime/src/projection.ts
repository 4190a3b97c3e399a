import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { ContractViolation, decodeMessage, type Envelope } from '@orderflow/contracts';
import {
  MongoBulkWriteError,
  MongoServerError,
  type Db,
  type Document,
  type IndexSpecification,
} from 'mongodb';
import type { Logger } from './log';
import { DUPLICATE_KEY } from './mongo';
import type { Nats } from './nats';

/**
 * One document change a projection asks for: an update of the document `id` in `collection`,
 * created if missing. Only update operators both MongoDB 7 and the embedded server speak are used
 * by our projections ($set, $inc, $setOnInsert).
 */
export interface DocumentChange {
  readonly collection: string;
  readonly id: string;
  readonly update: { $set?: Document; $inc?: Document; $setOnInsert?: Document };
}

export interface ProjectionSpec {
  readonly name: string;
  readonly stream: string;
  readonly filterSubject: string;
  /** Pure: what the event changes in the read model. */
  project(event: Envelope): readonly DocumentChange[];
  /** Indexes the read model's queries need, created (if missing) before the first event. */
  readonly indexes?: readonly { collection: string; keys: IndexSpecification }[];
}

export interface RunningProjection {
  /** The stream sequence of the last event whose changes are stored. */
  position(): number;
  /** Settles when the projection ends: resolves after stop(), rejects if it failed. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

const CHECKPOINTS = 'checkpoints';
const MAX_BATCH = 500;

/**
 * Guards a change with the sequence of the event that causes it: a document remembers in `_seq`
 * the last event applied to it, and an event at or below that is skipped. The upsert that the
 * guard makes miss collides on `_id`, which is the "already applied" signal.
 */
const guarded = (change: DocumentChange, seq: number) => ({
  updateOne: {
    filter: { _id: change.id, _seq: { $lt: seq } },
    update: { ...change.update, $set: { ...change.update.$set, _seq: seq } },
    upsert: true,
  },
});

type GuardedWrite = ReturnType<typeof guarded>;

/** Only a collision on `_id` is the guard's doing; any other duplicate is a real bug. */
const isGuardCollision = (error: unknown): error is MongoServerError | MongoBulkWriteError =>
  (error instanceof MongoServerError || error instanceof MongoBulkWriteError) &&
  error.code === DUPLICATE_KEY &&
  error.message.includes('_id_');

/**
 * Runs the writes in order, skipping those the `_seq` guard refused. MongoDB names the index of
 * the refused write, and the rest of the batch resumes after it; a server that does not name it
 * (the embedded one) gets the rest one write at a time, which the guard makes safe to repeat.
 */
const applyInOrder = async (db: Db, collection: string, writes: GuardedWrite[]) => {
  const target = db.collection(collection);
  let remaining = writes;
  while (remaining.length > 0) {
    try {
      await target.bulkWrite(remaining as never, { ordered: true });
      return;
    } catch (error) {
      if (!isGuardCollision(error)) throw error;
      const refused = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
      const index = refused[0]?.index;
      if (index === undefined) return applyOneByOne(db, collection, remaining);
      remaining = remaining.slice(index + 1);
    }
  }
};

const applyOneByOne = async (db: Db, collection: string, writes: GuardedWrite[]) => {
  for (const { updateOne } of writes) {
    try {
      await db
        .collection(collection)
        .updateOne(updateOne.filter as never, updateOne.update, { upsert: true });
    } catch (error) {
      if (!isGuardCollision(error)) throw error;
    }
  }
};

/**
 * Empties a service's read models so the projections rebuild them from the log. MongoDB could
 * drop the database; the embedded server has no drop commands, so this deletes documents.
 */
export const clearReadModels = async (db: Db, collections: readonly string[]) => {
  for (const name of [...collections, CHECKPOINTS]) await db.collection(name).deleteMany({});
};

/**
 * Keeps a read model in MongoDB up to date with a stream. The checkpoint lives in the same
 * database as the data, so dropping the database replays the whole log and rebuilds everything;
 * and since every change is guarded by its event's sequence, replaying twice changes nothing.
 */
export const runProjection = async (
  nats: Nats,
  db: Db,
  spec: ProjectionSpec,
  log: Logger,
): Promise<RunningProjection> => {
  for (const { collection, keys } of spec.indexes ?? []) {
    await db.collection(collection).createIndex(keys);
  }
  const checkpoint = await db
    .collection<{ _id: string; seq: number }>(CHECKPOINTS)
    .findOne({ _id: spec.name });
  let position = checkpoint?.seq ?? 0;
  const consumer = await nats.js.consumers.get(spec.stream, {
    filter_subjects: spec.filterSubject,
    ...(position > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: position + 1 }
      : { deliver_policy: DeliverPolicy.All }),
  });
  const projectionLog = log.child({ projection: spec.name });

  const flush = async (batch: { changes: DocumentChange[]; seq: number }[]) => {
    const byCollection = new Map<string, ReturnType<typeof guarded>[]>();
    for (const { changes, seq } of batch) {
      for (const change of changes) {
        const ops = byCollection.get(change.collection) ?? [];
        ops.push(guarded(change, seq));
        byCollection.set(change.collection, ops);
      }
    }
    for (const [collection, ops] of byCollection) await applyInOrder(db, collection, ops);
    const last = batch.at(-1)!.seq;
    await applyInOrder(db, CHECKPOINTS, [
      guarded({ collection: CHECKPOINTS, id: spec.name, update: { $set: { seq: last } } }, last),
    ]);
    position = last;
  };

  const changesOf = (message: JsMsg): DocumentChange[] => {
    try {
      return [...spec.project(decodeMessage(message.data))];
    } catch (error) {
      // The log is append-only: a message that breaks the contract is skipped, loudly, not fatal.
      if (!(error instanceof ContractViolation)) throw error;
      projectionLog.warn('skipped a message that breaks the contract', { seq: message.seq, error });
      return [];
    }
  };

  let messages: ConsumerMessages | undefined;
  const loop = (async () => {
    messages = await consumer.consume({ max_messages: MAX_BATCH });
    let batch: { changes: DocumentChange[]; seq: number }[] = [];
    for await (const message of messages) {
      batch.push({ changes: changesOf(message), seq: message.seq });
      // Write when the backlog is drained or the batch is full: one round trip per burst.
      if (message.info.pending === 0 || batch.length >= MAX_BATCH) {
        await flush(batch);
        batch = [];
      }
    }
  })();
  projectionLog.info('projecting', { from: position + 1 });

  return {
    position: () => position,
    finished: loop,
    stop: async () => {
      await messages?.close();
      await loop;
    },
  };
};
