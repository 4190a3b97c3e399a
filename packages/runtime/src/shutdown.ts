import type { Logger } from './log';

type Closer = () => Promise<void> | void;

/**
 * Closes resources in the reverse order of their opening (HTTP first, then consumers, then
 * connections), once, on SIGINT or SIGTERM, within a deadline after which the process exits anyway.
 */
export class Lifecycle {
  private readonly closers: { name: string; close: Closer }[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly deadlineMs = 10_000,
  ) {}

  onStop(name: string, close: Closer): void {
    this.closers.push({ name, close });
  }

  stop(): Promise<void> {
    this.stopping ??= this.closeAll();
    return this.stopping;
  }

  /** Exits the process once a termination signal has been handled. */
  handleSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.log.info('stopping', { signal });
      const timer = setTimeout(() => {
        this.log.error('shutdown deadline passed; exiting', { deadlineMs: this.deadlineMs });
        process.exit(1);
      }, this.deadlineMs);
      timer.unref();
      this.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  private async closeAll(): Promise<void> {
    for (const { name, close } of [...this.closers].reverse()) {
      try {
        await close();
      } catch (error) {
        this.log.warn('close failed', { resource: name, error });
      }
    }
  }
}
