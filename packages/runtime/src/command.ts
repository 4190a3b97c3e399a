import { ConfigError } from './config';

/** A command used wrongly: its message is followed by the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The body of an operator command: `main` resolves to the exit code; a usage or configuration
 * mistake, or a failure to do the work at all, is said in one line on stderr and exits 2.
 */
export const runCommand = (
  main: () => Promise<number>,
  { failure, usage = '' }: { readonly failure: string; readonly usage?: string },
): void => {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof UsageError) console.error(`${reason}\n${usage}`);
      else if (error instanceof ConfigError) console.error(reason);
      else console.error(`${failure}: ${reason}`);
      process.exitCode = 2;
    },
  );
};
