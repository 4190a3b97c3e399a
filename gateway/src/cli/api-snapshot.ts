import '@orderflow/auth/dist/node-version';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  apiSchemaOf,
  compareApi,
  formatBreaking,
  parseApiSchema,
  printApiSchema,
} from '../api-compat';
import { defaultApiSnapshotPath, defaultSupergraphPath } from '../paths';

/**
 * `api:snapshot` writes the public API schema (the supergraph's API schema) to
 * public-api.graphql, the snapshot the gateway's tests hold the API to. It refuses when the change
 * breaks clients without a deprecation first; `--accept-breaking` overrides that, a deliberate
 * major version of the API.
 */
const run = async () => {
  const acceptBreaking = process.argv.includes('--accept-breaking');
  const current = apiSchemaOf(readFileSync(defaultSupergraphPath, 'utf8'));
  const text = printApiSchema(current);
  if (existsSync(defaultApiSnapshotPath)) {
    const releasedText = readFileSync(defaultApiSnapshotPath, 'utf8');
    if (releasedText === text) {
      process.stdout.write(`${defaultApiSnapshotPath} is up to date\n`);
      return;
    }
    const { breaking, retired } = await compareApi(parseApiSchema(releasedText), current);
    for (const change of retired)
      process.stdout.write(`removed after deprecation: ${change.message}\n`);
    if (breaking.length > 0) {
      const report = formatBreaking(breaking, basename(defaultApiSnapshotPath));
      if (!acceptBreaking) {
        process.stderr.write(`${report}\nthe snapshot was not written\n`);
        process.exit(1);
      }
      process.stderr.write(
        `${report}\n--accept-breaking: writing it anyway, a major version of the API\n`,
      );
    }
  }
  writeFileSync(defaultApiSnapshotPath, text);
  process.stdout.write(`wrote ${defaultApiSnapshotPath}\n`);
};

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
