import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '../tracing';
import type { Collection, DocumentStore, StoredDocument } from './document-store';

/**
 * The store with a client span around each read and each commit, so a trace shows where a
 * request or a projection spent its time in the database. Without tracing these spans are no-ops.
 */
export const tracedDocumentStore = (
  store: DocumentStore,
  system: 'sqlite' | 'mongodb',
): DocumentStore => {
  const span = <T>(operation: string, collection: string, work: () => Promise<T>) =>
    inSpan(
      `${operation} ${collection}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': system,
          'db.operation.name': operation,
          'db.collection.name': collection,
        },
      },
      work,
    );
  return {
    get description() {
      return store.description;
    },
    collection: <D extends StoredDocument>(name: string): Collection<D> => {
      const collection = store.collection<D>(name);
      return {
        get: (id) => span('get', name, () => collection.get(id)),
        getMany: (ids) => span('getMany', name, () => collection.getMany(ids)),
        find: (query) => span('find', name, () => collection.find(query)),
        count: (where) => span('count', name, () => collection.count(where)),
      };
    },
    prepare: (spec) => store.prepare(spec),
    checkpoint: (projection) => store.checkpoint(projection),
    commit: (projection, events) =>
      span('commit', projection.name, () => store.commit(projection, events)),
    reset: (projection, collections) => store.reset(projection, collections),
    ping: () => store.ping(),
    close: () => store.close(),
  };
};
