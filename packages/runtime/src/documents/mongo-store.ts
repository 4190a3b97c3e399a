import {
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Db,
  type Document,
  type Filter,
} from 'mongodb';
import { planWrites, touchedIds, type Versioned } from './changes';
import type {
  Checkpoint,
  Collection,
  CollectionSpec,
  DocumentStore,
  ProjectedEvent,
  ProjectionIdentity,
  StoredDocument,
} from './document-store';
import { checkCollection, compileQuery, compileWhere, type Predicate } from './query';

const CHECKPOINTS = '_checkpoints';
/** Where a document keeps the sequence of the last event applied to it. */
const SEQ = '_seq';

type Raw = Document & { _id: string };

const filterOf = (predicate: Predicate): Filter<Raw> => {
  const { field, op, value } = predicate;
  if (op === 'eq') return { [field]: value };
  return { [field]: { [`$${op}`]: value } };
};

const allOf = (predicates: readonly Predicate[]): Filter<Raw> =>
  predicates.length === 0 ? {} : { $and: predicates.map(filterOf) };

const withoutSeq = <D extends StoredDocument>({ [SEQ]: _seq, ...document }: Raw): D =>
  document as unknown as D;

const NOT_A_REPLICA_SET = 20;

/**
 * The production store: one MongoDB database per service. A commit's reads and writes run in a
 * transaction, so data and checkpoint are stored together; that needs a replica set (a
 * single-node one will do), which the start-up check asks for by name.
 */
export class MongoDocumentStore implements DocumentStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    readonly description: string,
  ) {}

  static async open(uri: string, database: string): Promise<MongoDocumentStore> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    const store = new MongoDocumentStore(
      client,
      client.db(database),
      `MongoDB ${redacted(uri)} database ${database}`,
    );
    try {
      await store.transaction((session) =>
        store.db.collection(CHECKPOINTS).findOne({}, { session }),
      );
    } catch (error) {
      await client.close();
      if (error instanceof MongoServerError && error.code === NOT_A_REPLICA_SET) {
        throw new Error(
          `MongoDB at ${redacted(uri)} is a standalone server, which has no transactions; read ` +
            'models store their data and checkpoint in one transaction. Run it as a replica set ' +
            '(mongod --replSet rs0, then rs.initiate()), or unset MONGODB_URI for the embedded store.',
          { cause: error },
        );
      }
      throw error;
    }
    return store;
  }

  collection<D extends StoredDocument>(name: string): Collection<D> {
    const collection = this.db.collection<Raw>(checkCollection(name));
    return {
      get: async (id) => {
        const found = await collection.findOne({ _id: id });
        return found === null ? undefined : withoutSeq<D>(found);
      },
      getMany: async (ids) =>
        (await collection.find({ _id: { $in: [...ids] } }).toArray()).map(withoutSeq<D>),
      find: async (query) => {
        const compiled = compileQuery(query);
        const filter: Filter<Raw> = {
          $and: [
            allOf(compiled.where),
            compiled.after === undefined
              ? {}
              : { ...filterOf(compiled.after.bound), $or: compiled.after.alternatives.map(allOf) },
          ],
        };
        let cursor = collection
          .find(filter)
          .sort(
            compiled.orderBy.map(
              ([field, direction]) => [field, direction === 'asc' ? 1 : -1] as const,
            ),
          );
        if (compiled.limit !== undefined) cursor = cursor.limit(compiled.limit);
        return (await cursor.toArray()).map(withoutSeq<D>);
      },
      count: async (where) => collection.countDocuments(allOf(compileWhere(where))),
    };
  }

  async prepare({ name, indexes = [] }: CollectionSpec): Promise<void> {
    const collection = this.db.collection(checkCollection(name));
    for (const index of indexes) {
      await collection.createIndex(
        Object.fromEntries(
          Object.entries(index).map(([field, direction]) => [field, direction === 'asc' ? 1 : -1]),
        ),
      );
    }
  }

  async checkpoint(projection: string): Promise<Checkpoint | undefined> {
    const found = await this.db.collection<Raw>(CHECKPOINTS).findOne({ _id: projection });
    return found === null
      ? undefined
      : { seq: found.seq as number, version: found.version as number };
  }

  async commit(projection: ProjectionIdentity, events: readonly ProjectedEvent[]): Promise<void> {
    const last = events.at(-1)?.seq;
    if (last === undefined) return;
    await this.transaction(async (session) => {
      const stored = new Map<string, Map<string, Versioned>>();
      for (const [collection, ids] of touchedIds(events)) {
        const found = await this.db
          .collection<Raw>(checkCollection(collection))
          .find({ _id: { $in: [...ids] } }, { session })
          .toArray();
        stored.set(
          collection,
          new Map(
            found.map(({ _id, [SEQ]: seq, ...fields }) => [_id, { fields, seq: seq as number }]),
          ),
        );
      }
      const byCollection = new Map<string, AnyBulkWriteOperation<Raw>[]>();
      for (const { collection, id, state } of planWrites(events, (c, id) =>
        stored.get(c)?.get(id),
      )) {
        const operations = byCollection.get(collection) ?? [];
        operations.push(
          state === undefined
            ? { deleteOne: { filter: { _id: id } } }
            : {
                replaceOne: {
                  filter: { _id: id },
                  replacement: { _id: id, ...state.fields, [SEQ]: state.seq },
                  upsert: true,
                },
              },
        );
        byCollection.set(collection, operations);
      }
      for (const [collection, operations] of byCollection) {
        await this.db.collection<Raw>(collection).bulkWrite(operations, { session, ordered: true });
      }
      const checkpoints = this.db.collection<Raw>(CHECKPOINTS);
      const current = await checkpoints.findOne({ _id: projection.name }, { session });
      // Never backwards: a replica that lags behind another must not rewind the shared position.
      const seq = Math.max(last, (current?.seq as number | undefined) ?? 0);
      await checkpoints.replaceOne(
        { _id: projection.name },
        { _id: projection.name, seq, version: projection.version },
        { session, upsert: true },
      );
    });
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    await this.transaction(async (session) => {
      for (const collection of collections) {
        await this.db.collection(checkCollection(collection)).deleteMany({}, { session });
      }
      await this.db.collection<Raw>(CHECKPOINTS).deleteOne({ _id: projection }, { session });
    });
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The index keys of a collection, for tests that a declaration reached the server. */
  async indexKeys(collection: string): Promise<Document[]> {
    return (await this.db.collection(checkCollection(collection)).indexes()).map(
      (index) => index.key,
    );
  }

  private async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(() => work(session));
    } finally {
      await session.endSession();
    }
  }
}

/** A URI may carry a password; logs and banners get it without. */
const redacted = (uri: string) => uri.replace(/\/\/[^@/]*@/, '//***@');
