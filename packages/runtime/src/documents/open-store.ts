import { join } from 'node:path';
import type { DocumentStore } from './document-store';
import { MongoDocumentStore } from './mongo-store';
import { SqliteDocumentStore } from './sqlite-store';

export interface StoreSettings {
  /** MongoDB when set; otherwise the embedded SQLite store. */
  readonly MONGODB_URI?: string | undefined;
  /** Where the embedded store keeps one file per service. */
  readonly DATA_DIR: string;
}

/** A service's own database: `<DATA_DIR>/<service>.sqlite`, or `<database>` on MongoDB. */
export const openDocumentStore = async (
  settings: StoreSettings,
  service: { readonly name: string; readonly database: string },
): Promise<DocumentStore> =>
  settings.MONGODB_URI
    ? MongoDocumentStore.open(settings.MONGODB_URI, service.database)
    : new SqliteDocumentStore(join(settings.DATA_DIR, `${service.name}.sqlite`));
