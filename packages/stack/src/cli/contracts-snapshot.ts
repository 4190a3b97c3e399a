import '@orderflow/auth/dist/node-version';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '@orderflow/contracts';
import {
  checkRegistry,
  SNAPSHOT_FOLDER,
  snapshotFileOf,
  snapshotText,
} from '@orderflow/contracts/dist/schema-registry';
import { repoRoot } from '../services';

/*
 * npm run contracts:snapshot: writes the snapshot of each event type's current version when it is
 * missing, never overwrites one, then checks the registry as the contracts tests do.
 */

const folder = join(repoRoot, 'contracts', SNAPSHOT_FOLDER);

const readSnapshots = () =>
  new Map(
    readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [file, JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown]),
  );

mkdirSync(folder, { recursive: true });
const written: string[] = [];
for (const [type, definition] of Object.entries(catalog)) {
  const file = snapshotFileOf(type, definition.version);
  if (existsSync(join(folder, file))) continue;
  writeFileSync(join(folder, file), snapshotText(definition.schema));
  written.push(file);
}
for (const file of written) console.log(`wrote contracts/${SNAPSHOT_FOLDER}/${file}`);

const problems = checkRegistry(catalog, readSnapshots());
for (const { message } of problems) console.error(message);
if (problems.length > 0) process.exitCode = 1;
else if (written.length === 0) console.log('every event version has its snapshot');
