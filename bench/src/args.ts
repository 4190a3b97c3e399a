/** A flag a benchmark accepts: `--name value` or `--name=value`. */
export interface FlagSpec {
  readonly description: string;
  readonly default: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `argv` against the flags a script declares; an unknown flag or one without a value is a
 * UsageError. `--help` is one too, with the usage as its message.
 */
export const parseFlags = <K extends string>(
  argv: readonly string[],
  specs: Readonly<Record<K, FlagSpec>>,
  usageLine: string,
): Record<K, string> => {
  const names = Object.keys(specs) as K[];
  const width = Math.max(...names.map((name) => name.length)) + 2;
  const usage = [
    usageLine,
    ...names.map(
      (name) =>
        `  --${name.padEnd(width)} ${specs[name].description} (default ${specs[name].default})`,
    ),
  ].join('\n');
  const values = Object.fromEntries(names.map((name) => [name, specs[name].default])) as Record<
    K,
    string
  >;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new UsageError(usage);
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1] as K | undefined;
    if (match === null || name === undefined || !names.includes(name)) {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}\n${usage}`);
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) {
      throw new UsageError(`--${name} needs a value\n${usage}`);
    }
    values[name] = value;
  }
  return values;
};

/** A whole number of at least `min`, or a UsageError naming the flag. */
export const wholeNumber = (flag: string, value: string, min = 1): number => {
  const number = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(number) || number < min) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}, not ${value}`);
  }
  return number;
};

/** A positive number (fractions allowed), or a UsageError naming the flag. */
export const positiveNumber = (flag: string, value: string): number => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new UsageError(`--${flag} must be a positive number, not ${value}`);
  }
  return number;
};

/** A comma-separated list whose items each pass `item`. */
export const listOf = <T>(value: string, item: (part: string) => T): T[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(item);
