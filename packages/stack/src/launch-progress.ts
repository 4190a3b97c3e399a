import type { BuildProgress, BuiltPackage } from './build-progress';
import type { StartStep } from './system';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * What `npm start` says while it works: one line per step, with the time since it began and how
 * long each step took, so a slow first run shows where the time goes. Plain lines, no cursor
 * tricks: they read the same in a terminal, a log file or CI.
 */
export class LaunchProgress implements BuildProgress {
  private readonly began = Date.now();
  private buildBegan = this.began;
  private readonly finished: BuiltPackage[] = [];

  constructor(private readonly write: (line: string) => void) {}

  /** A line stamped with the time since the launcher began. */
  say(text: string): void {
    this.write(`orderflow ${seconds(Date.now() - this.began).padStart(7)}  ${text}`);
  }

  /** Runs one step, saying when it begins and, with what `done` makes of its result, its end. */
  async step<T>(doing: string, work: () => Promise<T>, done: (it: T) => string): Promise<T> {
    const began = Date.now();
    this.say(doing);
    const it = await work();
    this.say(`${done(it)} (${seconds(Date.now() - began)})`);
    return it;
  }

  building(): void {
    this.buildBegan = Date.now();
    this.say('building every workspace with turbo (a first build takes a few minutes)');
  }

  built(pkg: BuiltPackage): void {
    this.finished.push(pkg);
    this.say(`  ${pkg.name} ${pkg.cached ? 'up to date' : 'compiled'}`);
  }

  buildDone(): void {
    const compiled = this.finished.filter((pkg) => !pkg.cached).length;
    this.say(
      `built: ${compiled} compiled, ${this.finished.length - compiled} up to date ` +
        `(${seconds(Date.now() - this.buildBegan)})`,
    );
  }

  /** A system's process starting or ready (startSystem's onProgress). */
  system(step: StartStep): void {
    if (step.phase === 'starting') this.say(`starting ${step.part}`);
    else this.say(`${step.part} ready${step.url ? ` at ${step.url}` : ''} (${seconds(step.ms)})`);
  }
}
