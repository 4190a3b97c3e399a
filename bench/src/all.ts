/**
 * npm run bench — every benchmark, one after the other, each on a system of its own, with the
 * flags that keep the whole run near a quarter of an hour on a 2-core machine. Each part prints
 * its method, the machine's load and its figures; run a part alone for other flags.
 * Usage: npm run bench -- [--only saga,gateway,fanout,freshness,round-trips]
 */
import '@orderflow/auth/dist/node-version';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { listOf, parseFlags, UsageError } from './args';
import { machineLine, progress } from './bench-system';
import { runScript, wasInterrupted } from './lifecycle';
import { duration } from './stats';

const PARTS = {
  saga: ['saga-bench.js', '--orders', '2000', '--segment', '1000'],
  gateway: ['gateway-bench.js', '--seconds', '10'],
  fanout: ['fanout-bench.js'],
  freshness: ['freshness-bench.js'],
  'round-trips': ['round-trips-bench.js'],
} as const;
type Part = keyof typeof PARTS;

const FLAGS = {
  only: { description: `the parts to run, of ${Object.keys(PARTS).join(',')}`, default: 'all' },
};

const isPart = (name: string): name is Part => Object.hasOwn(PARTS, name);

const run = (script: string, args: readonly string[]) =>
  new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, script), ...args], {
      stdio: 'inherit',
    });
    // A signal reaches the whole foreground group; the child stops what it started and exits.
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });

const main = async () => {
  const flags = parseFlags(process.argv.slice(2), FLAGS, 'usage: npm run bench -- [flags]');
  const parts =
    flags.only === 'all'
      ? (Object.keys(PARTS) as Part[])
      : listOf(flags.only, (name) => {
          if (!isPart(name)) {
            throw new UsageError(
              `--only: no part ${name}; the parts: ${Object.keys(PARTS).join(', ')}`,
            );
          }
          return name;
        });
  progress(`npm run bench: ${parts.join(', ')}; ${machineLine()}`);
  const failed: string[] = [];
  for (const part of parts) {
    if (wasInterrupted()) return;
    const [script, ...args] = PARTS[part];
    const began = performance.now();
    process.stdout.write(`\n## ${part} (node bench/dist/${script} ${args.join(' ')})\n`);
    const code = await run(script, args);
    progress(`${part}: exit ${code} after ${duration((performance.now() - began) / 1000)}`);
    if (code !== 0) failed.push(`${part} (exit ${code})`);
  }
  if (failed.length > 0) throw new Error(`benchmarks that failed: ${failed.join(', ')}`);
};

runScript(main);
