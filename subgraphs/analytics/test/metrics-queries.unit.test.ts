import { DomainError } from '@orderflow/contracts';
import type { Viewer } from '@orderflow/runtime';
import type { MetricsViews } from '../src/application/ports';
import { metricsQueries, windowMinutes } from '../src/application/metrics-queries';

const admin: Viewer = { customerId: 'ops', admin: true, token: 't' };
const customer: Viewer = { customerId: 'alice', admin: false, token: 't' };
const views: MetricsViews = {
  series: () => Promise.resolve([]),
  inFlight: () => Promise.resolve(new Map()),
  processors: () => Promise.resolve([]),
  repairTimes: () => Promise.resolve([]),
};
const queries = metricsQueries(views, { read: () => Promise.resolve([]) });
const series = (query: Partial<Parameters<typeof queries.series>[0]>, viewer = admin) =>
  queries.series(
    { metric: 'ORDERS_PLACED', from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', ...query },
    viewer,
  );

const refused = async (attempt: Promise<unknown>, code: string, message: RegExp) => {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toMatch(message);
};

describe('metric queries', () => {
  it('refuses a customer before reading anything', async () => {
    await refused(series({}, customer), 'FORBIDDEN', /metricSeries needs the admin scope/);
    expect(() => queries.snapshot(undefined, customer, Date.now())).toThrow(/admin scope/);
  });

  it('takes a window of 1 to 1440 whole minutes, 5 by default', () => {
    expect(windowMinutes(undefined)).toBe(5);
    expect(windowMinutes({ minutes: 1440 })).toBe(1440);
    for (const minutes of [0, -1, 1441, 2.5]) {
      expect(() => windowMinutes({ minutes })).toThrow(/whole number from 1 to 1440/);
    }
  });

  it('refuses a range that is empty, reversed, not ISO 8601 or too many points', async () => {
    await refused(series({ to: '2026-01-01T00:00:00Z' }), 'BAD_USER_INPUT', /after `from`/);
    await refused(series({ from: 'yesterday' }), 'BAD_USER_INPUT', /ISO 8601/);
    await refused(series({ to: '2026-01-02T00:01:00Z' }), 'BAD_USER_INPUT', /at most 1440 points/);
    await refused(series({ metric: 'NOPE' }), 'BAD_USER_INPUT', /unknown metric NOPE/);
    await expect(series({ to: '2026-01-02T00:00:00Z' })).resolves.toEqual([]);
  });

  it('slides a window over the buckets: each point sums the `window` buckets ending with it', async () => {
    const T0 = Date.parse('2026-01-01T00:00:00Z');
    const minute = (m: number, count: number) => ({
      bucket: T0 + m * 60_000,
      group: '',
      count,
      sum: 0,
      sketch: undefined,
    });
    const asked: { from: number }[] = [];
    const sliding = metricsQueries(
      {
        ...views,
        series: (_, range) => {
          asked.push(range);
          return Promise.resolve([minute(0, 1), minute(1, 2), minute(3, 4)]);
        },
      },
      { read: () => Promise.resolve([]) },
    );
    const points = await sliding.series(
      {
        metric: 'ORDERS_PLACED',
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-01T00:04:00Z',
        window: 2,
      },
      admin,
    );
    expect(points.map(({ bucket, count }) => [(bucket - T0) / 60_000, count])).toEqual([
      [0, 1],
      [1, 3],
      [2, 2],
      [3, 4],
    ]);
    expect(asked[0]?.from).toBe(T0 - 60_000);
    await refused(series({ window: 0 }), 'BAD_USER_INPUT', /window must be a whole number/);
  });
});
