import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Where the child's output goes: a file, the parent's terminal with a prefix, or nowhere. */
  readonly output?: { file: string } | 'inherit' | 'ignore';
}

/** A child process we can stop gracefully, kill hard (crash tests) and start again. */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly spec: ChildSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    const output = this.spec.output ?? 'ignore';
    const child = spawn(this.spec.command, [...this.spec.args], {
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (typeof output === 'object') {
      const file = createWriteStream(output.file, { flags: 'a' });
      child.stdout.pipe(file);
      child.stderr.pipe(file);
    } else if (output === 'inherit') {
      const prefix = `[${this.spec.name}] `;
      const forward = (chunk: Buffer) =>
        process.stdout.write(
          chunk
            .toString()
            .split('\n')
            .filter((line) => line.length > 0)
            .map((line) => prefix + line + '\n')
            .join(''),
        );
      child.stdout.on('data', forward);
      child.stderr.on('data', forward);
    } else {
      child.stdout.resume();
      child.stderr.resume();
    }
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** Collects the child's stdout until `predicate` matches a line, for startup banners. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const child = this.child;
    if (!child) return Promise.reject(new Error(`${this.spec.name} is not started`));
    return new Promise((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.spec.name} did not become ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        const match = lines.find(predicate);
        if (match !== undefined) {
          cleanup();
          resolve(match);
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${this.spec.name} exited with code ${code} while starting`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', onExit);
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: the process gets no chance to clean up, as in a crash. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }
}
