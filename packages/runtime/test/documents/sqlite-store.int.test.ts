import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Replicas of a service start together and open the same new file at the same moment. */
describe('the SQLite store opened by several processes at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open = (file: string) =>
    new Promise<number | null>((done) => {
      const child = spawn(
        process.execPath,
        [
          '-e',
          `const { SqliteDocumentStore } = require(${JSON.stringify(resolve(__dirname, '../../dist'))});
           const store = new SqliteDocumentStore(${JSON.stringify(file)});
           store.prepare({ name: 'orders', indexes: [{ status: 'asc' }] })
             .then(() => store.commit({ name: 'p', version: 1 }, [{ seq: 1, changes: [] }]))
             .then(() => store.close());`,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      child.once('exit', done);
    });

  it('lets each of them in', async () => {
    for (let round = 0; round < 5; round++) {
      const file = join(dir, `round-${round}.sqlite`);
      expect(await Promise.all(Array.from({ length: 4 }, () => open(file)))).toEqual([0, 0, 0, 0]);
    }
  });
});
