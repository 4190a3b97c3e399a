import { UsageError } from './args';

const cleanups: { readonly what: string; readonly run: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
let interrupted = false;

/**
 * Registers what must be undone however the script ends (normally, by an error, or by SIGINT or
 * SIGTERM): the last registered runs first. Register before awaiting what it undoes, so that an
 * interrupt during a start-up still stops what was started.
 */
export const atExit = (what: string, run: () => Promise<void>): void => {
  cleanups.push({ what, run });
};

const cleanUp = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(
          `could not ${what}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  })());

export const wasInterrupted = (): boolean => interrupted;

/**
 * Runs a benchmark's main function, then its cleanups, and exits: 0 when it finished, 1 when it
 * failed, 2 on bad arguments, 130 when interrupted (a second signal exits at once).
 */
export const runScript = (main: () => Promise<void>): void => {
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping…`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main()
    .then(
      () => 0,
      (error: unknown) => {
        if (interrupted) return 130;
        if (error instanceof UsageError) {
          console.error(error.message);
          return 2;
        }
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        return 1;
      },
    )
    .then(async (code) => {
      await cleanUp();
      process.exit(interrupted ? 130 : code);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
};
