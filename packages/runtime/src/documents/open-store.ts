import { join } from 'node:path';
import { tracingConfigured } from '../tracing';
import type { DocumentStore } from './document-store';
import { tracedDocumentStore } from './traced-store';
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
): Promise<DocumentStore> => {
  const store = settings.MONGODB_URI
    ? await MongoDocumentStore.open(settings.MONGODB_URI, service.database)
    : new SqliteDocumentStore(join(settings.DATA_DIR, `${service.name}.sqlite`));
  // Wrapped only when traced: an untraced process keeps the adapter itself, at no cost.
  if (!tracingConfigured(process.env)) return store;
  return tracedDocumentStore(store, settings.MONGODB_URI ? 'mongodb' : 'sqlite');
};
