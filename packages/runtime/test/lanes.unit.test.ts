import { lanes } from '../src/lanes';

/** A task that runs until the test lets it finish, recording when it started and ended. */
const gate = (log: string[], name: string) => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      log.push(`start ${name}`);
      await opened;
      log.push(`end ${name}`);
    },
    open,
  };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('lanes', () => {
  it('runs one key’s tasks in order, one at a time', async () => {
    const log: string[] = [];
    const work = lanes(4);
    const first = gate(log, 'a1');
    const second = gate(log, 'a2');
    await work.run('a', first.task);
    await work.run('a', second.task);
    await settle();
    expect(log).toEqual(['start a1']);
    first.open();
    second.open();
    await work.drain();
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
  });

  it('runs different keys at the same time, up to the limit, and holds the caller beyond it', async () => {
    const log: string[] = [];
    const work = lanes(2);
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const c = gate(log, 'c');
    await work.run('a', a.task);
    await work.run('b', b.task);
    let third = false;
    const placed = work.run('c', c.task).then(() => (third = true));
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    expect(third).toBe(false);
    b.open();
    await placed;
    c.open();
    a.open();
    await work.drain();
    expect(log.slice(0, 4)).toEqual(['start a', 'start b', 'end b', 'start c']);
    expect(log).toHaveLength(6);
  });

  it('refuses a limit below one', () => {
    expect(() => lanes(0)).toThrow('a limit of 1 or more');
  });
});
