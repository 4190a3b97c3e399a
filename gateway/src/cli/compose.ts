import '@orderflow/auth/dist/node-version';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, readSubgraphs } from '../compose';
import { defaultManifestPath, defaultSupergraphPath } from '../paths';

/**
 * `compose` writes the supergraph; `compose --check` fails when the checked-in file differs from
 * what the subgraph schemas compose to, so a schema change cannot ship without its supergraph.
 */
const run = () => {
  const check = process.argv.includes('--check');
  const supergraph = composeSupergraph(readSubgraphs(defaultManifestPath));
  if (!check) {
    writeFileSync(defaultSupergraphPath, supergraph);
    process.stdout.write(`wrote ${defaultSupergraphPath}\n`);
    return;
  }
  const current = existsSync(defaultSupergraphPath)
    ? readFileSync(defaultSupergraphPath, 'utf8')
    : '';
  if (current !== supergraph) {
    process.stderr.write(
      `${defaultSupergraphPath} is out of date with the subgraph schemas; run \`npm run compose\` and commit it\n`,
    );
    process.exit(1);
  }
  process.stdout.write('supergraph is up to date\n');
};

try {
  run();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
