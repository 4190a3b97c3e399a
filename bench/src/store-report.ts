import { ordersCollection } from './order-documents';
import { count, duration, figure, renderTable, sizeLabel, type Cell } from './stats';

/** The report of bench:store: one row per operation, one column per adapter and size. */

export type AdapterName = 'sqlite' | 'mongodb';
export const ADAPTER_LABELS: Readonly<Record<AdapterName, string>> = {
  sqlite: 'SQLite',
  mongodb: 'MongoDB',
};

export interface Measured {
  readonly median: number;
  readonly p99: number;
  readonly repetitions: number;
  readonly result: number | undefined;
}

export type Column =
  | {
      readonly kind: 'measured';
      readonly filledFrom: number;
      readonly fillSeconds: number;
      readonly results: ReadonlyMap<string, Measured>;
    }
  | { readonly kind: 'not measured'; readonly reason: string };

/** What the report needs to know of an operation. */
export interface ReportedOperation {
  readonly key: string;
  readonly label: string;
  readonly explanation: string;
  readonly describeResult?: (result: number) => string;
}

const rowsOf = (rows: number) => `${count(rows)} ${rows === 1 ? 'row' : 'rows'}`;

const cellOf = (operation: ReportedOperation, measured: Measured | undefined): Cell => {
  if (measured === undefined) return '-';
  const result =
    measured.result === undefined
      ? ''
      : ` · ${(operation.describeResult ?? rowsOf)(measured.result)}`;
  return [
    `${figure(measured.median)} / ${figure(measured.p99)}`,
    `n=${count(measured.repetitions)}${result}`,
  ];
};

const ratioCell = (numerator: Measured | undefined, denominator: Measured | undefined): Cell =>
  numerator === undefined || denominator === undefined || denominator.median === 0
    ? '-'
    : `×${figure(numerator.median / denominator.median)}`;

export const printReport = (
  operations: readonly ReportedOperation[],
  adapters: readonly AdapterName[],
  sizes: readonly number[],
  columns: ReadonlyMap<string, Column>,
  fillBatch: number,
) => {
  const key = (adapter: AdapterName, size: number) => `${adapter}@${size}`;
  const header: string[] = ['operation'];
  const cells: ((operation: ReportedOperation) => Cell)[] = [];
  const footnotes: string[] = [];
  const measured = (adapter: AdapterName, size: number, operation: ReportedOperation) => {
    const column = columns.get(key(adapter, size));
    return column?.kind === 'measured' ? column.results.get(operation.key) : undefined;
  };

  for (const adapter of adapters) {
    for (const size of sizes) {
      const column = columns.get(key(adapter, size))!;
      header.push(`${ADAPTER_LABELS[adapter]} ${sizeLabel(size)}`);
      if (column.kind === 'measured') {
        cells.push((operation) => cellOf(operation, measured(adapter, size, operation)));
      } else {
        footnotes.push(`[${footnotes.length + 1}] ${header.at(-1)}: ${column.reason}`);
        const mark = `not measured [${footnotes.length}]`;
        cells.push(() => mark);
      }
    }
    const done = sizes.filter((size) => columns.get(key(adapter, size))?.kind === 'measured');
    if (done.length >= 2) {
      const [smallest, largest] = [done[0]!, done.at(-1)!];
      header.push(`${ADAPTER_LABELS[adapter]} ${sizeLabel(largest)}/${sizeLabel(smallest)}`);
      cells.push((operation) =>
        ratioCell(measured(adapter, largest, operation), measured(adapter, smallest, operation)),
      );
    }
  }
  if (adapters.includes('sqlite') && adapters.includes('mongodb')) {
    for (const size of sizes) {
      const both = ['sqlite', 'mongodb'].every(
        (adapter) => columns.get(key(adapter as AdapterName, size))?.kind === 'measured',
      );
      if (!both) continue;
      header.push(`MongoDB/SQLite ${sizeLabel(size)}`);
      cells.push((operation) =>
        ratioCell(measured('mongodb', size, operation), measured('sqlite', size, operation)),
      );
    }
  }

  const lines = [
    '',
    'Read-model store: cost per operation in µs, median / p99 over n repetitions (write rows: per',
    'event); ratio columns compare medians. Orders like the order read model (85% COMPLETED,',
    `7% CANCELLED, 2% in each waiting status), its ${ordersCollection.indexes!.length} indexes declared with prepare, filled by commits of ${fillBatch} events.`,
    ...(adapters.includes('mongodb')
      ? [
          'MongoDB is the embedded MongoDB-wire test server (the only one here), not mongod: its',
          'figures show how that server scales, not what a real MongoDB would cost.',
        ]
      : []),
    '',
    renderTable(
      header,
      operations.map((operation) => [operation.label, ...cells.map((cell) => cell(operation))]),
    ),
    ...operations.map((operation) => `  ${operation.label.padEnd(16)} ${operation.explanation}`),
    '',
    ...footnotes,
    ...[...columns]
      .filter(([, column]) => column.kind === 'measured')
      .map(([name, column]) => {
        const [adapter, size] = name.split('@') as [AdapterName, string];
        const [from, seconds] =
          column.kind === 'measured' ? [column.filledFrom, column.fillSeconds] : [0, 0];
        return `filled ${ADAPTER_LABELS[adapter]} from ${count(from)} to ${count(Number(size))} documents in ${duration(seconds)}`;
      }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};
