import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './services';

/** A workspace whose build finished: compiled now, or restored from turbo's cache. */
export interface BuiltPackage {
  readonly name: string;
  readonly cached: boolean;
}

export interface BuildProgress {
  built(pkg: BuiltPackage): void;
}

// eslint-disable-next-line no-control-regex -- turbo may color its lines; the patterns match text.
const ansi = /\x1b\[[0-9;]*m/g;
/** With --log-order=grouped turbo prints a task's lines when it ends, first its cache status. */
const taskEnded = /^(\S+):build: cache (hit|miss|bypass)/;

/**
 * Builds every workspace with turbo, telling `progress` as each package is done, so a first
 * build (minutes) is not minutes of silence. Failing, it rejects with turbo's whole output:
 * the compiler's errors are in it.
 */
export const buildWorkspaces = (progress: BuildProgress): Promise<void> =>
  new Promise((resolve, reject) => {
    const turbo = spawn(
      join(repoRoot, 'node_modules', '.bin', 'turbo'),
      ['run', 'build', '--output-logs=new-only', '--log-order=grouped'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    const output: string[] = [];
    const read = (raw: string) => {
      const line = raw.replace(ansi, '');
      output.push(line);
      const ended = taskEnded.exec(line);
      if (ended) progress.built({ name: ended[1]!, cached: ended[2] === 'hit' });
    };
    createInterface({ input: turbo.stdout }).on('line', read);
    createInterface({ input: turbo.stderr }).on('line', read);
    turbo.once('error', reject);
    // 'close', not 'exit': by then every line of its output has been read.
    turbo.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`the build failed (turbo exited ${code}):\n${output.join('\n')}`));
    });
  });
