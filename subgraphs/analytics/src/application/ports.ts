import type { MetricName } from '../domain/metric';
import type { DurationSketch } from '../domain/quantiles';

/** A metric's value over a span: counts and sums add up; durations merge their sketches. */
export interface Aggregate {
  readonly group: string;
  readonly count: number;
  readonly sum: number;
  readonly sketch: DurationSketch | undefined;
}

/** One point of a series: its start (epoch ms), and its figures. */
export interface SeriesPoint extends Aggregate {
  readonly bucket: number;
}

export interface SeriesRange {
  readonly from: number;
  readonly to: number;
  /** A multiple of the bucket width. */
  readonly pointMs: number;
  readonly byGroup: boolean;
  readonly group?: string | undefined;
}

/** Where a processor stands: events it counted late, and the greatest event time it saw. */
export interface ProcessorStanding {
  readonly processor: string;
  readonly late: number;
  /** Messages that broke the contract, skipped. */
  readonly rejected: number;
  readonly maxEventTime: number | undefined;
}

/** The materialized views, as the queries need them. */
export interface MetricsViews {
  series(metric: MetricName, range: SeriesRange): Promise<SeriesPoint[]>;
  /** Sagas not yet ended, per status they wait in. */
  inFlight(): Promise<ReadonlyMap<string, number>>;
  processors(): Promise<ProcessorStanding[]>;
  /**
   * For each saga cancelled in [from, to) whose effects had to be undone: ms from its
   * cancellation to its last compensation (stock released, payment refunded or voided, shipment
   * recalled). A saga with nothing to undo (nothing reserved yet) is not counted.
   */
  repairTimes(from: number, to: number): Promise<number[]>;
}

export interface ConsumerLag {
  readonly consumer: string;
  readonly stream: string;
  readonly pending: number;
  readonly lagMs: number;
}

/** What JetStream says of every durable consumer of the system. */
export interface ConsumerLagSource {
  read(now: number): Promise<ConsumerLag[]>;
}
