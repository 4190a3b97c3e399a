/** The value below which a share `q` (0..1) of the samples lie: nearest rank, no interpolation. */
export const percentile = (samples: readonly number[], q: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
};

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/** Three significant figures or so, with thousands separators: 3.42, 87.1, 412, 12,345. */
export const figure = (value: number): string => {
  if (!Number.isFinite(value)) return '-';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
};

/** 1000 -> 1k, 2500 -> 2.5k, 100000 -> 100k, 1500000 -> 1.5M. */
export const sizeLabel = (size: number): string => {
  if (size >= 1_000_000 && size % 100_000 === 0) return `${size / 1_000_000}M`;
  if (size >= 1_000 && size % 100 === 0) return `${size / 1_000}k`;
  return String(size);
};

export const count = (value: number): string => value.toLocaleString('en-US');

/** A duration for people: 850 ms, 42 s, 14 min, 3.2 h, 2.1 days. */
export const duration = (seconds: number): string => {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
};

/** A cell may span several lines; each column is as wide as its widest line. */
export type Cell = string | readonly string[];

const linesOf = (cell: Cell): readonly string[] => (typeof cell === 'string' ? [cell] : cell);

/**
 * A plain-text table: the first column left-aligned, the others right-aligned, a rule under the
 * header, and a blank line between rows whose cells span several lines.
 */
export const renderTable = (header: readonly Cell[], rows: readonly (readonly Cell[])[]) => {
  const all = [header, ...rows];
  const columns = Math.max(...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...all.flatMap((row) => linesOf(row[column] ?? '').map((line) => line.length))),
  );
  const multiLine = rows.some((row) => row.some((cell) => linesOf(cell).length > 1));
  const render = (row: readonly Cell[]) => {
    const height = Math.max(...row.map((cell) => linesOf(cell).length));
    return Array.from({ length: height }, (_, line) =>
      widths
        .map((width, column) => {
          const text = linesOf(row[column] ?? '')[line] ?? '';
          return column === 0 ? text.padEnd(width) : text.padStart(width);
        })
        .join('  ')
        .trimEnd(),
    ).join('\n');
  };
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return `${render(header)}\n${rule}\n${rows.map(render).join(multiLine ? '\n\n' : '\n')}\n`;
};

/** ms each of `samples` runs took, one after another, after one untimed run. */
export const timedRuns = async (
  samples: number,
  run: () => Promise<unknown>,
): Promise<number[]> => {
  await run();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const before = performance.now();
    await run();
    times.push(performance.now() - before);
  }
  return times;
};
