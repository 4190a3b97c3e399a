import { waitFor } from '@orderflow/stack';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { InvalidChange, type DocumentStore, type ProjectedEvent } from '../../src';
import { mongoFixture, sqliteFixture } from './store-fixtures';

interface Item {
  readonly _id: string;
  readonly status?: string;
  readonly createdAt?: string;
  readonly rank?: number;
  readonly count?: number;
  readonly name?: string;
}

const projection = { name: 'items', version: 1 };

const upsert = (seq: number, id: string, set: Record<string, unknown>): ProjectedEvent => ({
  seq,
  changes: [{ collection: 'items', id, set }],
});

describe.each([sqliteFixture(), mongoFixture()])('the document store on $name', (fixture) => {
  let store: DocumentStore;
  const items = () => store.collection<Item>('items');

  beforeAll(() => fixture.setUp());
  afterAll(() => fixture.tearDown());
  beforeEach(async () => {
    store = await fixture.open();
    await store.prepare({ name: 'items', indexes: [{ status: 'asc', createdAt: 'desc' }] });
  });
  afterEach(() => store.close());

  describe('guarded upserts', () => {
    it('creates, sets, increments and reads back by id', async () => {
      await store.commit(projection, [
        {
          seq: 1,
          changes: [
            {
              collection: 'items',
              id: 'a',
              set: { name: 'first' },
              increment: { count: 2 },
              setOnInsert: { status: 'NEW' },
            },
          ],
        },
        { seq: 2, changes: [{ collection: 'items', id: 'a', increment: { count: 3 } }] },
      ]);
      expect(await items().get('a')).toEqual({ _id: 'a', name: 'first', count: 5, status: 'NEW' });
      expect(await items().get('missing')).toBeUndefined();
    });

    it('applies an event twice, or an older one after it, without changing anything', async () => {
      const event: ProjectedEvent = {
        seq: 7,
        changes: [
          { collection: 'items', id: 'a', increment: { count: 1 }, set: { name: 'seven' } },
        ],
      };
      await store.commit(projection, [event]);
      await store.commit(projection, [event]);
      await store.commit(projection, [upsert(6, 'a', { name: 'six' })]);
      expect(await items().get('a')).toEqual({ _id: 'a', count: 1, name: 'seven' });
    });

    it('writes setOnInsert fields only when the change creates the document', async () => {
      const change = (seq: number, status: string): ProjectedEvent => ({
        seq,
        changes: [{ collection: 'items', id: 'a', setOnInsert: { status }, set: { rank: seq } }],
      });
      await store.commit(projection, [change(1, 'FIRST'), change(2, 'SECOND')]);
      expect(await items().get('a')).toEqual({ _id: 'a', status: 'FIRST', rank: 2 });
    });

    it('removes a document, once', async () => {
      await store.commit(projection, [upsert(1, 'a', { name: 'gone' }), upsert(2, 'b', {})]);
      await store.commit(projection, [
        { seq: 3, changes: [{ collection: 'items', id: 'a', remove: true }] },
      ]);
      expect(await items().get('a')).toBeUndefined();
      expect(await items().count()).toBe(1);
    });

    it('refuses to add to a field that is not a number, and stores nothing of the batch', async () => {
      await store.commit(projection, [upsert(1, 'a', { name: 'text' })]);
      const batch: ProjectedEvent[] = [
        upsert(2, 'b', { name: 'would be half of a batch' }),
        { seq: 3, changes: [{ collection: 'items', id: 'a', increment: { name: 1 } }] },
      ];
      await expect(store.commit(projection, batch)).rejects.toThrow(InvalidChange);
      expect(await items().get('b')).toBeUndefined();
      expect(await store.checkpoint('items')).toEqual({ seq: 1, version: 1 });
    });
  });

  describe('the checkpoint', () => {
    it('moves with the data it covers, never backwards, and remembers the version', async () => {
      expect(await store.checkpoint('items')).toBeUndefined();
      await store.commit(projection, [upsert(4, 'a', {}), upsert(9, 'b', {})]);
      expect(await store.checkpoint('items')).toEqual({ seq: 9, version: 1 });
      await store.commit({ name: 'items', version: 2 }, [upsert(5, 'c', {})]);
      expect(await store.checkpoint('items')).toEqual({ seq: 9, version: 2 });
    });

    it('is reset with the collections, and survives reopening the store', async () => {
      await store.commit(projection, [upsert(1, 'a', {}), upsert(2, 'b', {})]);
      const again = await fixture.reopen();
      expect(await again.checkpoint('items')).toEqual({ seq: 2, version: 1 });
      expect(await again.collection('items').count()).toBe(2);
      await again.reset('items', ['items']);
      await again.close();
      expect(await store.checkpoint('items')).toBeUndefined();
      expect(await items().count()).toBe(0);
    });

    it('agrees with the data after the writer is killed mid-commit', async () => {
      const child = spawn(process.execPath, [resolve(__dirname, 'kill-child.js')], {
        env: {
          ...process.env,
          ...fixture.childSettings(),
          RUNTIME_DIST: resolve(__dirname, '../../dist'),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = new Promise((done) => child.once('exit', done));
      await waitFor(
        'the writer to commit a few batches',
        async () => ((await store.checkpoint('killed'))?.seq ?? 0) >= 1_000,
        { timeoutMs: 30_000, intervalMs: 5 },
      );
      child.kill('SIGKILL');
      await exited;
      const after = await fixture.reopen();
      try {
        const checkpoint = await after.checkpoint('killed');
        const totals = await after.collection<{ _id: string; events: number }>('totals').get('all');
        expect(totals?.events).toBe(checkpoint?.seq);
        expect(await after.collection('items').count()).toBe(checkpoint?.seq);
      } finally {
        await after.close();
      }
    });
  });

  describe('queries', () => {
    const seed = async (count: number) => {
      const statuses = ['NEW', 'PAID', 'SHIPPED'];
      const events = Array.from({ length: count }, (_, i) =>
        upsert(i + 1, `item-${String(i).padStart(3, '0')}`, {
          status: statuses[i % 3],
          // Few distinct times: pages must be stable across ties.
          createdAt: `2026-01-0${(i % 4) + 1}T00:00:00.000Z`,
          rank: i,
        }),
      );
      await store.commit(projection, events);
    };

    it('gets a batch of ids at once, leaving out the missing', async () => {
      await seed(40);
      const ids = [
        ...Array.from({ length: 40 }, (_, i) => `item-${String(i).padStart(3, '0')}`),
        'nope',
      ];
      const found = await items().getMany(ids);
      expect(found.map((item) => item._id).sort()).toEqual(ids.slice(0, 40));
      expect(await items().getMany([])).toEqual([]);
    });

    it('pages through ties in a stable order with a cursor, each document once', async () => {
      await seed(50);
      const orderBy = { createdAt: 'desc', _id: 'desc' } as const;
      const all = await items().find({ orderBy });
      const pages: Item[] = [];
      let after: Record<string, string> | undefined;
      for (;;) {
        const page = await items().find({ orderBy, limit: 7, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        pages.push(...page);
        const last = page.at(-1)!;
        after = { createdAt: last.createdAt!, _id: last._id };
      }
      expect(pages.map((item) => item._id)).toEqual(all.map((item) => item._id));
      expect(new Set(pages.map((item) => item._id)).size).toBe(50);
    });

    it('ends every order with the id, so ties come back the same way each time', async () => {
      await seed(30);
      const first = await items().find({ orderBy: { createdAt: 'asc' }, limit: 10 });
      const again = await items().find({ orderBy: { createdAt: 'asc' }, limit: 10 });
      expect(again).toEqual(first);
      const keys = first.map((item) => `${item.createdAt} ${item._id}`);
      expect(keys).toEqual([...keys].sort());
    });

    it('filters by equality, membership and ranges, sorted and limited', async () => {
      await seed(30);
      const paid = await items().find({ where: { status: 'PAID' } });
      expect(paid).toHaveLength(10);
      const some = await items().find({
        where: { status: { in: ['NEW', 'SHIPPED'] }, rank: { gte: 10, lt: 20 } },
        orderBy: { rank: 'desc' },
        limit: 3,
      });
      expect(some.map((item) => item.rank)).toEqual([18, 17, 15]);
      const early = await items().find({
        where: { createdAt: { lte: '2026-01-02T00:00:00.000Z' }, status: 'NEW' },
      });
      expect(early.every((item) => item.createdAt! <= '2026-01-02T00:00:00.000Z')).toBe(true);
      expect(early).toHaveLength(5);
      expect(await items().find({ where: { name: null }, limit: 2 })).toHaveLength(2);
    });

    it('counts what matches', async () => {
      await seed(30);
      expect(await items().count()).toBe(30);
      expect(await items().count({ status: 'SHIPPED', rank: { gt: 20 } })).toBe(3);
    });

    it('refuses field names that are not plain identifiers', async () => {
      await expect(items().find({ where: { "x') OR 1=1 --": 1 } })).rejects.toThrow(
        /invalid field name/,
      );
    });
  });

  it('creates the indexes a read model declares, and queries use them', async () => {
    expect(await fixture.usesIndex(store, 'items', 'status')).toBe(true);
  });
});
