import { Pacer } from '../../src/subscriptions/pacer';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('Pacer', () => {
  it('grants at most perTurn turns per turn of the event loop, in the order they were asked for', async () => {
    const pacer = new Pacer(3);
    const granted: number[] = [];
    for (let i = 0; i < 7; i++) void pacer.turn().then(() => granted.push(i));

    await Promise.resolve();
    expect(granted).toEqual([0, 1, 2]);
    await nextTurn();
    expect(granted).toEqual([0, 1, 2, 3, 4, 5]);
    await nextTurn();
    expect(granted).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
