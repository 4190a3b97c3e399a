import { startEmbeddedMongo, type MongoServer } from '@orderflow/stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoDocumentStore, SqliteDocumentStore, type DocumentStore } from '../../src';

/** One adapter under the port's contract: how to open it, and how to see its indexes at work. */
export interface StoreFixture {
  readonly name: string;
  setUp(): Promise<void>;
  /** A fresh, empty database each time; `reopen` gives the last one again. */
  open(): Promise<DocumentStore>;
  reopen(): Promise<DocumentStore>;
  /** What a child process needs to open the same database. */
  childSettings(): Record<string, string>;
  /** Whether a query on `collection` is served by the index whose first field is `field`. */
  usesIndex(store: DocumentStore, collection: string, field: string): Promise<boolean>;
  tearDown(): Promise<void>;
}

export const sqliteFixture = (): StoreFixture => {
  let dir = '';
  let file = '';
  let count = 0;
  return {
    name: 'SQLite',
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), 'orderflow-documents-'));
    },
    open: async () => {
      file = join(dir, `store-${++count}.sqlite`);
      return new SqliteDocumentStore(file);
    },
    reopen: async () => new SqliteDocumentStore(file),
    childSettings: () => ({ STORE: 'sqlite', STORE_FILE: file }),
    usesIndex: async (store, collection, field) =>
      (store as SqliteDocumentStore)
        .explain(collection, { where: { [field]: 'x' }, orderBy: { [field]: 'asc' } })
        .includes(`USING INDEX ${collection}__${field}`),
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

export const mongoFixture = (): StoreFixture => {
  let server: MongoServer | undefined;
  let database = '';
  let count = 0;
  return {
    name: 'MongoDB',
    setUp: async () => {
      server = await startEmbeddedMongo();
    },
    open: async () => {
      database = `contract_${++count}`;
      return MongoDocumentStore.open(server!.uri, database);
    },
    reopen: async () => MongoDocumentStore.open(server!.uri, database),
    childSettings: () => ({ STORE: 'mongo', STORE_URI: server!.uri, STORE_DATABASE: database }),
    usesIndex: async (store, collection, field) =>
      (await (store as MongoDocumentStore).indexKeys(collection)).some(
        (keys) => Object.keys(keys)[0] === field,
      ),
    tearDown: async () => {
      await server?.stop();
    },
  };
};
