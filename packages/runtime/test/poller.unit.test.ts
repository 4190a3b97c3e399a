import { waitFor } from '@orderflow/stack';
import { runPoller } from '../src';
import { silentLog } from './harness';

describe('runPoller', () => {
  it('hands each due id to the handler, and retries a failure on the next tick', async () => {
    let due = ['a', 'b'];
    const handled: string[] = [];
    let failOnce = true;
    const poller = runPoller(
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
    const poller = runPoller(
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
