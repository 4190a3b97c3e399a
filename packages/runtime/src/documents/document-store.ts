/**
 * The document-store port: named collections of JSON documents in one database per service, with
 * exactly what the read models need. SQLite (`node:sqlite`) is the embedded default and MongoDB
 * the production store; one contract test suite holds both to the same behaviour.
 */

/** A value a document field can be compared with. */
export type Scalar = string | number | boolean | null;

/** A stored document: `_id` is its key within the collection. */
export interface StoredDocument {
  readonly _id: string;
}

/** A document's top-level fields, as JSON. */
export type Fields = Readonly<Record<string, unknown>>;

/**
 * What an event does to one document, guarded by the event's stream sequence: a document
 * remembers the last event applied to it, and an event at or below that changes nothing.
 * `set` overwrites fields, `increment` adds to numeric fields (missing counts as 0), and
 * `setOnInsert` writes fields only when the change creates the document.
 */
export interface DocumentUpsert {
  readonly collection: string;
  readonly id: string;
  readonly set?: Fields;
  readonly increment?: Readonly<Record<string, number>>;
  readonly setOnInsert?: Fields;
}

export interface DocumentRemoval {
  readonly collection: string;
  readonly id: string;
  readonly remove: true;
}

export type DocumentChange = DocumentUpsert | DocumentRemoval;

/** The changes one event makes, and that event's stream sequence. */
export interface ProjectedEvent {
  readonly seq: number;
  readonly changes: readonly DocumentChange[];
}

export type Direction = 'asc' | 'desc';

/**
 * A field condition: equality with a value, membership, or a range. Fields are top-level names
 * or dotted paths; `_id` is the key.
 */
export type Condition =
  | Scalar
  | { readonly in: readonly Scalar[] }
  | {
      readonly gt?: Scalar;
      readonly gte?: Scalar;
      readonly lt?: Scalar;
      readonly lte?: Scalar;
    };

/** Every condition must hold. */
export type Where = Readonly<Record<string, Condition>>;

/** Sort fields in order of precedence; `_id` ends every order, so ties never reorder a page. */
export type OrderBy = Readonly<Record<string, Direction>>;

export interface FindQuery {
  readonly where?: Where;
  readonly orderBy?: OrderBy;
  readonly limit?: number;
  /** The sort-key values (with `_id`) of the last document of the previous page. */
  readonly after?: Readonly<Record<string, Scalar>>;
}

/** An index a read model's queries need: fields in order, with their direction. */
export type IndexSpec = Readonly<Record<string, Direction>>;

export interface CollectionSpec {
  readonly name: string;
  readonly indexes?: readonly IndexSpec[];
}

/** Where a projection stands: the last stream sequence applied, by which read-model version. */
export interface Checkpoint {
  readonly seq: number;
  readonly version: number;
}

export interface ProjectionIdentity {
  readonly name: string;
  readonly version: number;
}

export interface Collection<D extends StoredDocument> {
  get(id: string): Promise<D | undefined>;
  /** The documents among `ids` that exist, in no particular order: one query for a batch. */
  getMany(ids: readonly string[]): Promise<D[]>;
  find(query?: FindQuery): Promise<D[]>;
  count(where?: Where): Promise<number>;
}

export interface DocumentStore {
  /** Which adapter this is, for logs and the start banner. */
  readonly description: string;
  collection<D extends StoredDocument>(name: string): Collection<D>;
  /** Creates the collection and its declared indexes where missing. */
  prepare(collection: CollectionSpec): Promise<void>;
  checkpoint(projection: string): Promise<Checkpoint | undefined>;
  /**
   * Applies the events' changes in order and moves the projection's checkpoint to the last
   * sequence, all in one transaction: after a crash either all of it is stored or none.
   */
  commit(projection: ProjectionIdentity, events: readonly ProjectedEvent[]): Promise<void>;
  /** Empties the collections and forgets the projection's checkpoint, in one transaction. */
  reset(projection: string, collections: readonly string[]): Promise<void>;
  /** Resolves while the store answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
