import type { Story, StoryStep } from './tell-story';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** 850ms, 2.31s, 4.5min: a gap as one reads it. */
const duration = (ms: number): string => {
  const sign = ms < 0 ? '-' : '';
  const size = Math.abs(ms);
  if (size < 1000) return `${sign}${size}ms`;
  if (size < 60_000) return `${sign}${(size / 1000).toFixed(2)}s`;
  if (size < 3_600_000) return `${sign}${(size / 60_000).toFixed(1)}min`;
  return `${sign}${(size / 3_600_000).toFixed(1)}h`;
};

/** `+40ms` after its cause; `-20ms` when the clocks disagree; `-` when the cause is no step. */
const sinceCause = (ms: number | null) =>
  ms === null ? '-' : `${ms < 0 ? '' : '+'}${duration(ms)}`;

const what = (step: StoryStep) =>
  step.kind === 'dead-letter'
    ? `dead letter: ${step.type}`
    : `${step.type}${step.status === null ? '' : ` → ${step.status}`}`;

/** The time of day when the step is on the story's first day, else the date too. */
const timeOf = (at: string, day: string) =>
  at.startsWith(day) ? at.slice(11, 23) : at.slice(0, 23).replace('T', ' ');

const table = (rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>) => {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => {
        if (column === row.length - 1) return cell;
        return rightAligned.has(column)
          ? cell.padStart(widths[column]!)
          : cell.padEnd(widths[column]!);
      })
      .join('  ')
      .trimEnd(),
  );
};

/**
 * The story for people: a summary line, then one line per step in causal order with its time,
 * the time since its cause, what happened, which consumer produced it from what cause, its
 * trace id ('-' when the message carried none) and what it says.
 */
export const formatStory = (story: Story): string => {
  const { steps } = story;
  const first = steps[0]?.at ?? '';
  const last = steps.reduce((latest, { at }) => (at > latest ? at : latest), first);
  const day = first.slice(0, 10);
  const events = steps.filter(({ kind }) => kind === 'event').length;
  const letters = steps.length - events;
  const header =
    steps.length === 0
      ? `order ${story.orderId}: no event of it can be read`
      : `order ${story.orderId}: ${story.status ?? 'no status yet'}; ${plural(events, 'event')}` +
        `${letters > 0 ? `, ${plural(letters, 'dead letter')}` : ''} over ` +
        `${duration(Date.parse(last) - Date.parse(first))}, from ${day} ${timeOf(first, day)} UTC`;
  const rows = [
    ['time (UTC)', 'since cause', 'what', 'by', 'cause', 'trace', 'detail'],
    ...steps.map((step) => [
      timeOf(step.at, day),
      sinceCause(step.sinceCauseMs),
      what(step),
      step.by,
      step.cause.type,
      step.traceId ?? '-',
      step.detail,
    ]),
  ];
  const notes = [
    ...story.unreadable.map((reason) => `unreadable: ${reason}`),
    ...(story.deadLettersUnreadable === null
      ? []
      : [`dead letters not shown: they could not be read (${story.deadLettersUnreadable})`]),
  ];
  return [
    header,
    '',
    ...table(rows, new Set([1])),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
};
