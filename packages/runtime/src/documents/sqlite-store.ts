import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { planWrites, touchedIds, type Versioned } from './changes';
import type {
  Checkpoint,
  Collection,
  CollectionSpec,
  Fields,
  DocumentStore,
  FindQuery,
  IndexSpec,
  ProjectedEvent,
  ProjectionIdentity,
  Scalar,
  StoredDocument,
  Where,
} from './document-store';
import {
  checkCollection,
  checkField,
  compileQuery,
  compileWhere,
  type CompiledQuery,
  type Predicate,
} from './query';

const CHECKPOINTS = '_checkpoints';

/** Indexes are on these very expressions, so the planner matches a query's terms to them. */
const column = (field: string) =>
  field === '_id' ? 'id' : `json_extract(doc, '$.${checkField(field)}')`;

const quoted = (name: string) => `"${checkCollection(name)}"`;

/** SQLite has no booleans: JSON's true and false read back as 1 and 0. */
const bindable = (value: Scalar): SQLInputValue =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;

const sqlOf = (predicate: Predicate, params: SQLInputValue[]): string => {
  const target = column(predicate.field);
  const { op, value } = predicate;
  if (op === 'in') {
    params.push(JSON.stringify(value));
    return `${target} IN (SELECT value FROM json_each(?))`;
  }
  if (value === null) {
    if (op !== 'eq') throw new Error(`cannot compare ${predicate.field} with null by ${op}`);
    return `${target} IS NULL`;
  }
  params.push(bindable(value as Scalar));
  const symbol = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
  return `${target} ${symbol} ?`;
};

const conjunction = (predicates: readonly Predicate[], params: SQLInputValue[]) =>
  predicates.map((predicate) => sqlOf(predicate, params)).join(' AND ');

const whereClause = (where: readonly Predicate[], params: SQLInputValue[]) =>
  where.length === 0 ? '' : ` WHERE ${conjunction(where, params)}`;

const indexName = (collection: string, index: IndexSpec) =>
  `${collection}__${Object.entries(index)
    .map(([field, direction]) => `${field.replaceAll('.', '_')}_${direction}`)
    .join('__')}`;

/** SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock. */
const isBusy = (error: unknown) =>
  error instanceof Error && 'errcode' in error && (error.errcode === 5 || error.errcode === 6);

/** Something to wait on: a blocking pause, in a constructor that runs once per process. */
const pauser = new Int32Array(new SharedArrayBuffer(4));

interface Row {
  readonly id: string;
  readonly seq: number;
  readonly doc: string;
}

const toDocument = <D extends StoredDocument>(row: Row): D =>
  ({ _id: row.id, ...(JSON.parse(row.doc) as object) }) as D;

/**
 * The embedded default: one SQLite file per service, in WAL mode. Each collection is a table of
 * (id, seq, doc) with the document as JSON; a declared index is an index over the JSON fields'
 * expressions. `node:sqlite` is synchronous, so a commit is one uninterrupted transaction.
 */
export class SqliteDocumentStore implements DocumentStore {
  readonly description: string;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly tables = new Set<string>();

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.description = `SQLite ${file}`;
    this.db = new DatabaseSync(file);
    this.db.exec('PRAGMA busy_timeout = 5000');
    // WAL: readers never wait for the writer. NORMAL sync loses at most the last commits on
    // power loss, and data and checkpoint are lost together, so the projection replays them.
    // Switching a new file to WAL takes a lock the busy timeout does not wait for, and replicas
    // of a service open the same file at the same moment: the loser tries again.
    for (let attempt = 1; ; attempt++) {
      try {
        this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
          CREATE TABLE IF NOT EXISTS ${CHECKPOINTS} (name TEXT PRIMARY KEY, seq INTEGER NOT NULL, version INTEGER NOT NULL)`);
        return;
      } catch (error) {
        if (!isBusy(error) || attempt >= 100) throw error;
        Atomics.wait(pauser, 0, 0, 50);
      }
    }
  }

  collection<D extends StoredDocument>(name: string): Collection<D> {
    const table = this.table(name);
    return {
      get: async (id) => {
        const row = this.statement(`SELECT id, seq, doc FROM ${table} WHERE id = ?`).get(id);
        return row === undefined ? undefined : toDocument<D>(row as unknown as Row);
      },
      getMany: async (ids) => this.rows(table, ids).map((row) => toDocument<D>(row)),
      find: async (query) => this.find<D>(table, query),
      count: async (where) => this.count(table, where),
    };
  }

  async prepare({ name, indexes = [] }: CollectionSpec): Promise<void> {
    const table = this.table(name);
    for (const index of indexes) {
      const terms = Object.entries(index).map(
        ([field, direction]) => `${column(field)} ${direction.toUpperCase()}`,
      );
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS "${indexName(name, index)}" ON ${table} (${terms.join(', ')})`,
      );
    }
  }

  async checkpoint(projection: string): Promise<Checkpoint | undefined> {
    const row = this.statement(`SELECT seq, version FROM ${CHECKPOINTS} WHERE name = ?`).get(
      projection,
    );
    return row === undefined ? undefined : { seq: Number(row.seq), version: Number(row.version) };
  }

  async commit(projection: ProjectionIdentity, events: readonly ProjectedEvent[]): Promise<void> {
    const last = events.at(-1)?.seq;
    if (last === undefined) return;
    this.transaction(() => {
      const stored = new Map<string, Map<string, Versioned>>();
      for (const [collection, ids] of touchedIds(events)) {
        const rows = this.rows(this.table(collection), [...ids]);
        stored.set(
          collection,
          new Map(
            rows.map((row) => [row.id, { fields: JSON.parse(row.doc) as Fields, seq: row.seq }]),
          ),
        );
      }
      const writes = planWrites(events, (collection, id) => stored.get(collection)?.get(id));
      for (const { collection, id, state } of writes) {
        const table = this.table(collection);
        if (state === undefined) {
          this.statement(`DELETE FROM ${table} WHERE id = ?`).run(id);
        } else {
          this.statement(
            `INSERT INTO ${table} (id, seq, doc) VALUES (?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, doc = excluded.doc`,
          ).run(id, state.seq, JSON.stringify(state.fields));
        }
      }
      // Never backwards: a replica that lags behind another must not rewind the shared position.
      this.statement(
        `INSERT INTO ${CHECKPOINTS} (name, seq, version) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET seq = max(seq, excluded.seq), version = excluded.version`,
      ).run(projection.name, last, projection.version);
    });
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    this.transaction(() => {
      for (const collection of collections) this.db.exec(`DELETE FROM ${this.table(collection)}`);
      this.statement(`DELETE FROM ${CHECKPOINTS} WHERE name = ?`).run(projection);
    });
  }

  async ping(): Promise<void> {
    this.statement('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  /** How SQLite would run a query: for tests that a declared index really serves it. */
  explain(collection: string, query: FindQuery): string {
    const { sql, params } = this.selectSql(this.table(collection), query);
    return this.db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => String(row.detail))
      .join('\n');
  }

  private table(name: string): string {
    const table = quoted(name);
    if (!this.tables.has(name)) {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, doc TEXT NOT NULL)`,
      );
      this.tables.add(name);
    }
    return table;
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private rows(table: string, ids: readonly string[]): Row[] {
    return this.statement(
      `SELECT id, seq, doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as unknown as Row[];
  }

  private selectSql(table: string, query: FindQuery = {}) {
    const compiled = compileQuery(query);
    const params: SQLInputValue[] = [];
    // In the order of the SQL text, since each appends its parameters.
    const conditions = [
      compiled.where.length > 0 ? conjunction(compiled.where, params) : undefined,
      this.afterCursor(compiled, params),
    ].filter((condition) => condition !== undefined);
    const order = compiled.orderBy
      .map(([field, direction]) => `${column(field)} ${direction.toUpperCase()}`)
      .join(', ');
    const limit = compiled.limit === undefined ? '' : ` LIMIT ${compiled.limit}`;
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    return { sql: `SELECT id, seq, doc FROM ${table}${where} ORDER BY ${order}${limit}`, params };
  }

  private afterCursor({ after }: CompiledQuery, params: SQLInputValue[]): string | undefined {
    if (after === undefined) return undefined;
    const bound = sqlOf(after.bound, params);
    const alternatives = after.alternatives.map((all) => `(${conjunction(all, params)})`);
    return `${bound} AND (${alternatives.join(' OR ')})`;
  }

  private find<D extends StoredDocument>(table: string, query: FindQuery | undefined): D[] {
    const { sql, params } = this.selectSql(table, query);
    return (this.statement(sql).all(...params) as unknown as Row[]).map((row) =>
      toDocument<D>(row),
    );
  }

  private count(table: string, where: Where | undefined): number {
    const params: SQLInputValue[] = [];
    const sql = `SELECT count(*) AS n FROM ${table}${whereClause(compileWhere(where), params)}`;
    return Number(this.statement(sql).get(...params)!.n);
  }

  private transaction(work: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
