import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { assertNodeVersion, nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../src/node-version';

const repoRoot = resolve(__dirname, '..', '..', '..');
const guard = join(repoRoot, 'packages/auth/src/node-version.ts');
const text = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

interface PackageJson {
  workspaces?: string[];
  scripts?: Record<string, string>;
  bin?: string | Record<string, string>;
  engines?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface Lockfile {
  packages: Record<string, PackageJson & { version?: string }>;
}
const packageJson = (dir: string) => JSON.parse(text(join(dir, 'package.json'))) as PackageJson;

describe('nodeVersionProblem', () => {
  beforeEach(() => jest.spyOn(process, 'cwd').mockReturnValue(repoRoot));
  afterEach(() => jest.restoreAllMocks());

  it('accepts any release of the required major', () => {
    for (const version of ['24.21.0', '24.0.0', '24.99.1', 'v24.1.0']) {
      expect(nodeVersionProblem(version)).toBeUndefined();
    }
  });

  it('says which Node is needed and how to run the entry with it', () => {
    expect(nodeVersionProblem('20.20.2', join(repoRoot, 'subgraphs/payment/dist/main.js'))).toBe(
      'orderflow needs Node 24 (this is Node 20.20.2). Run it through npm (npm start, npm run ' +
        '<script>), which uses the Node that npm install put in node_modules/.bin, or run ' +
        'node_modules/.bin/node subgraphs/payment/dist/main.js.',
    );
  });

  it('refuses a newer major and a version it cannot read', () => {
    expect(nodeVersionProblem('25.0.0')).toContain('this is Node 25.0.0');
    expect(nodeVersionProblem('nonsense')).toContain('this is Node nonsense');
  });

  it('names the paths from the working directory, or <entry> when the script is unknown', () => {
    jest.spyOn(process, 'cwd').mockReturnValue(join(repoRoot, 'gateway'));
    expect(nodeVersionProblem('22.1.0', join(repoRoot, 'gateway/dist/main.js'))).toMatch(
      /or run \.\.\/node_modules\/\.bin\/node dist\/main\.js\.$/,
    );
    expect(nodeVersionProblem('22.1.0')).toMatch(/node <entry>\.$/);
  });
});

describe('assertNodeVersion', () => {
  afterEach(() => jest.restoreAllMocks());

  it('prints the problem to stderr and exits 2 on another major', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    expect(() => assertNodeVersion('20.20.2')).toThrow('exit 2');
    expect(exit).toHaveBeenCalledWith(2);
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^orderflow needs Node 24 .*\n$/));
  });

  it('lets the required major through, including the Node running this test', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit');
    });
    assertNodeVersion('24.21.0');
    assertNodeVersion();
    expect(exit).not.toHaveBeenCalled();
  });
});

describe('the Node version, stated once in .nvmrc', () => {
  const nvmrc = text('.nvmrc').trim();
  const major = Number(nvmrc.split('.')[0]);
  const root = packageJson('.');
  const lock = JSON.parse(text('package-lock.json')) as Lockfile;

  it('is an exact version', () => {
    expect(nvmrc).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is what the node devDependency pins exactly, in package.json and the lockfile', () => {
    expect(root.devDependencies?.node).toBe(nvmrc);
    expect(lock.packages['']?.devDependencies?.node).toBe(nvmrc);
    expect(lock.packages['node_modules/node']?.version).toBe(nvmrc);
  });

  it('has the major that engines, @types/node, the guard and the Docker image state', () => {
    expect(root.engines?.node).toBe(`${major}.x`);
    expect(lock.packages['']?.engines?.node).toBe(`${major}.x`);
    expect(root.devDependencies?.['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
    expect(REQUIRED_NODE_MAJOR).toBe(major);
    const images = [...text('Dockerfile').matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images)).toEqual(new Set([major]));
  });
});

/**
 * The scripts that are started with `node`: in the npm scripts of the root and of each workspace,
 * as a package's bin, and in docker-compose.yml. Each as its TypeScript source.
 */
function entryPoints(): string[] {
  const scripts = new Set<string>();
  const workspaces = (root: PackageJson) =>
    (root.workspaces ?? []).flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => join(pattern.slice(0, -2), entry.name))
        : [pattern],
    );
  for (const dir of ['.', ...workspaces(packageJson('.'))]) {
    if (!existsSync(join(repoRoot, dir, 'package.json'))) continue;
    const pkg = packageJson(dir);
    for (const script of Object.values(pkg.scripts ?? {})) {
      for (const match of script.matchAll(/\bnode (\S+\.js)\b/g)) scripts.add(join(dir, match[1]!));
    }
    const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
    for (const bin of bins) scripts.add(join(dir, bin));
  }
  for (const match of text('docker-compose.yml').matchAll(/\['node', '([^']+\.js)'/g)) {
    scripts.add(match[1]!);
  }
  return [...scripts].map((script) => script.replace('/dist/', '/src/').replace(/\.js$/, '.ts'));
}

describe('every entry point', () => {
  const entries = entryPoints();

  it('is found: the CLIs, the services, the gateway and the benches', () => {
    expect(entries).toEqual(
      expect.arrayContaining([
        'packages/stack/src/cli/start.ts',
        'packages/stack/src/cli/watch.ts',
        'packages/stack/src/cli/deployment.ts',
        'packages/runtime/src/cli/dead-letters.ts',
        'packages/auditor/src/cli.ts',
        'packages/auth/src/cli/token.ts',
        'subgraphs/order/src/main.ts',
        'subgraphs/inventory/src/main.ts',
        'subgraphs/payment/src/main.ts',
        'subgraphs/shipping/src/main.ts',
        'subgraphs/analytics/src/main.ts',
        'gateway/src/main.ts',
        'gateway/src/cli/compose.ts',
        'bench/src/store-bench.ts',
        'bench/src/security-bench.ts',
        'bench/src/saga-bench.ts',
      ]),
    );
  });

  it.each(entries)('%s imports the Node version guard first', (entry) => {
    const firstImport = text(entry)
      .split('\n')
      .find((line) => line.startsWith('import '));
    const first = /^import '([^']+)';$/.exec(firstImport ?? '')?.[1];
    const target =
      first?.startsWith('.') === true
        ? join(dirname(join(repoRoot, entry)), `${first}.ts`)
        : first === '@orderflow/auth/dist/node-version'
          ? guard
          : first;
    expect(relative(repoRoot, target ?? '(no import)')).toBe(relative(repoRoot, guard));
  });
});
