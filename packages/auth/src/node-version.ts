/**
 * The Node version guard. Every entry point (npm start, each dist/main.js, the CLIs and the
 * benches) imports this module first, for its side effect: on another major than the project's it
 * says what to do and exits 2, before any dependency is loaded and fails somewhere inside itself.
 * It imports nothing but node:path, so that it runs on any Node.
 *
 * The version is stated once, in the repository's .nvmrc; the root package.json pins the `node`
 * devDependency exactly to it, and test/node-version.unit.test.ts fails when .nvmrc, that pin,
 * `engines`, the lockfile or REQUIRED_NODE_MAJOR disagree, or when an entry point does not import
 * this module first.
 */
import { join, relative, resolve } from 'node:path';

/** The major of .nvmrc (checked by test/node-version.unit.test.ts). */
export const REQUIRED_NODE_MAJOR = 24;

/** The repository root: this module lives in packages/auth/src or packages/auth/dist. */
const repoRoot = resolve(__dirname, '..', '..', '..');

const fromHere = (path: string) => relative(process.cwd(), path) || '.';

/**
 * Why Node `version` (as in process.versions.node) cannot run orderflow, as the message to print,
 * or undefined when it can. `entry` is the script that was started (process.argv[1]).
 */
export function nodeVersionProblem(version: string, entry?: string): string | undefined {
  const major = /^v?(\d+)\./.exec(version)?.[1];
  if (major !== undefined && Number(major) === REQUIRED_NODE_MAJOR) return undefined;
  const node = fromHere(join(repoRoot, 'node_modules', '.bin', 'node'));
  const script = entry === undefined || entry === '' ? '<entry>' : fromHere(entry);
  return (
    `orderflow needs Node ${REQUIRED_NODE_MAJOR} (this is Node ${version}). ` +
    'Run it through npm (npm start, npm run <script>), which uses the Node that npm install put ' +
    `in node_modules/.bin, or run ${node} ${script}.`
  );
}

/** Exits 2 with nodeVersionProblem's message when this process runs on the wrong Node major. */
export function assertNodeVersion(version = process.versions.node): void {
  const problem = nodeVersionProblem(version, process.argv[1]);
  if (problem === undefined) return;
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

assertNodeVersion();
