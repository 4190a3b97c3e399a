import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * Prometheus metrics, one registry per process (prom-client's default), served on `/metrics` by
 * every HTTP server. An instrument is created once per name: several services started in one test
 * process share it, their series told apart by their labels.
 */
const existing = (name: string) => register.getSingleMetric(name);

export const counter = <L extends string>(config: CounterConfiguration<L>): Counter<L> =>
  (existing(config.name) as Counter<L> | undefined) ?? new Counter(config);

export const gauge = <L extends string>(config: GaugeConfiguration<L>): Gauge<L> =>
  (existing(config.name) as Gauge<L> | undefined) ?? new Gauge(config);

export const histogram = <L extends string>(config: HistogramConfiguration<L>): Histogram<L> =>
  (existing(config.name) as Histogram<L> | undefined) ?? new Histogram(config);

/** Seconds, from 1 ms to 10 s: a handler, a resolver or a request. */
export const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

let defaults = false;

/** What `/metrics` answers: the process's own figures (CPU, memory, event loop) and ours. */
export const metricsText = async (): Promise<{ contentType: string; body: string }> => {
  if (!defaults) {
    defaults = true;
    collectDefaultMetrics();
  }
  return { contentType: register.contentType, body: await register.metrics() };
};

/** Runs `work`, observing its duration in seconds into `into` with the labels its outcome picks. */
export const timed = async <T, L extends string>(
  into: Histogram<L>,
  labels: (outcome: 'ok' | 'error') => Partial<Record<L, string>>,
  work: () => Promise<T>,
): Promise<T> => {
  const end = into.startTimer();
  try {
    const result = await work();
    end(labels('ok'));
    return result;
  } catch (error) {
    end(labels('error'));
    throw error;
  }
};
