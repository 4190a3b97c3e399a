import { waitFor } from '@orderflow/stack';
import { Alarms, runPoller, type RunningPoller } from '../src';
import { silentLog } from './harness';

/** Every poller a test starts is stopped after it, passed or failed: a live one keeps jest up. */
const started: RunningPoller[] = [];
const poll = (...args: Parameters<typeof runPoller>): RunningPoller => {
  const poller = runPoller(...args);
  started.push(poller);
  return poller;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((poller) => poller.stop()));
});

describe('runPoller', () => {
  it('hands each due id to the handler, and retries a failure on the next tick', async () => {
    let due = ['a', 'b'];
    const handled: string[] = [];
    let failOnce = true;
    const poller = poll(
      {
        name: 'test',
        intervalMs: 5,
        due: async () => due,
        handle: async (id) => {
          if (id === 'b' && failOnce) {
            failOnce = false;
            throw new Error('transient');
          }
          handled.push(id);
          due = due.filter((other) => other !== id);
        },
      },
      silentLog,
    );

    await waitFor('both handled', () => due.length === 0);
    expect(handled).toEqual(['a', 'b']);
    await poller.stop();
  });

  it('keeps polling when reading what is due fails, and stops promptly', async () => {
    let reads = 0;
    const poller = poll(
      {
        name: 'test',
        intervalMs: 60_000,
        due: async () => {
          reads++;
          throw new Error('read model down');
        },
        handle: async () => undefined,
      },
      silentLog,
    );

    await waitFor('the first read', () => reads === 1);
    const started = Date.now();
    await poller.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('a poller woken by alarms', () => {
  it('ticks at an alarm instead of waiting out its interval, and at the earlier of two', async () => {
    const ticks: number[] = [];
    const alarms = new Alarms();
    const poller = poll(
      {
        name: 'test',
        intervalMs: 60_000,
        due: async (now) => {
          ticks.push(now.getTime());
          return [];
        },
        handle: async () => undefined,
      },
      silentLog,
      alarms,
    );
    await waitFor('the first tick', () => ticks.length === 1);

    const later = Date.now() + 400;
    const sooner = Date.now() + 50;
    alarms.set(later);
    alarms.set(sooner);

    await waitFor('a tick at the earlier alarm', () => ticks.length === 2);
    // At the alarm, not before it: the poller's timer aims a millisecond past it for that.
    expect(ticks[1]).toBeGreaterThanOrEqual(sooner);
    expect(ticks[1]).toBeLessThan(later);
    await waitFor('a tick at the later alarm', () => ticks.length === 3);
    expect(ticks[2]).toBeGreaterThanOrEqual(later);
    expect(alarms.earliest()).toBeUndefined();
    await poller.stop();
  });
});

describe('Alarms', () => {
  it('keeps times earliest first, tells of a new earliest only, and forgets what has passed', () => {
    const alarms = new Alarms();
    const told: number[] = [];
    alarms.onEarlier((at) => told.push(at));

    for (const at of [30, 10, 20, 40, 10]) alarms.set(at);

    expect(told).toEqual([30, 10]);
    expect(alarms.earliest()).toBe(10);
    alarms.passed(20);
    expect(alarms.earliest()).toBe(30);
    alarms.passed(40);
    expect(alarms.earliest()).toBeUndefined();
  });
});
