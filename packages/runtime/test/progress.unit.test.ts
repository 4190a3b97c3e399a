import { createLogger, watchProgress, type ProgressWatch } from '../src';

describe('watchProgress', () => {
  const logged: string[] = [];
  const log = createLogger({}, 'info', (line) => logged.push(line));
  let watch: ProgressWatch | undefined;
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    watch?.stop();
    jest.useRealTimers();
    logged.length = 0;
  });

  let asked = 0;
  const watching = (behind: () => number) => {
    const renewals: number[] = [];
    asked = 0;
    watch = watchProgress({
      name: 'reader',
      log,
      stallMs: 100,
      position: () => 7,
      behind: async () => (asked++, behind()),
      renew: () => renewals.push(Date.now()),
    });
    return renewals;
  };

  it('reports a reader that handles nothing while events wait as stalled, and renews its feed', async () => {
    const renewals = watching(() => 3);

    await jest.advanceTimersByTimeAsync(99);
    expect(renewals).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(100);
    expect(renewals).toHaveLength(1);
    expect(watch!.progress()).toMatchObject({
      name: 'reader',
      position: 7,
      behind: 3,
      stalled: true,
    });
    expect(logged.join('\n')).toMatch(/reader stalled/);
    // Renewed once per stall period, not at every check.
    await jest.advanceTimersByTimeAsync(40);
    expect(renewals).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(60);
    expect(renewals).toHaveLength(2);

    watch!.advanced();
    expect(watch!.progress().stalled).toBe(false);
    expect(logged.join('\n')).toMatch(/making progress again/);
  });

  it('leaves alone a reader that is caught up, however long nothing happens', async () => {
    const renewals = watching(() => 0);

    await jest.advanceTimersByTimeAsync(10_000);

    expect(renewals).toEqual([]);
    expect(watch!.progress()).toMatchObject({ behind: 0, stalled: false });
  });

  it('does not count the idle time before events arrived against the reader', async () => {
    let behind = 0;
    const renewals = watching(() => behind);
    await jest.advanceTimersByTimeAsync(10_000);

    behind = 2;
    await jest.advanceTimersByTimeAsync(75);
    watch!.advanced();
    behind = 0;
    await jest.advanceTimersByTimeAsync(1_000);

    expect(renewals).toEqual([]);
  });

  it('asks the stream what waits only now and then while the reader keeps moving', async () => {
    const renewals = watching(() => 1);

    // Checks every 50 ms (the shortest period); the reader moves every 20 ms for 2 s.
    for (let ms = 0; ms < 2_000; ms += 20) {
      watch!.advanced();
      await jest.advanceTimersByTimeAsync(20);
    }

    expect(asked).toBeLessThanOrEqual(2_000 / (10 * 50) + 1);
    expect(renewals).toEqual([]);
    expect(watch!.progress()).toMatchObject({ behind: 1, stalled: false });
    // Once it stops, the next checks ask again, and a stall is seen as before.
    await jest.advanceTimersByTimeAsync(150);
    expect(renewals).toHaveLength(1);
  });

  it('shows the last failure until the reader moves again', () => {
    watching(() => 0);
    watch!.failed(new Error('disk full'));
    expect(watch!.progress().error).toBe('disk full');
    watch!.advanced();
    expect(watch!.progress().error).toBeUndefined();
  });
});
