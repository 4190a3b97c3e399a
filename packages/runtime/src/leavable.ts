/**
 * `items` as a subscription's iterator, whose return() first runs `leave` (closing the feed
 * behind them). A generator waiting for its next item would run its `finally` only after that
 * item came; leaving first ends the wait, so a client that goes away frees its feed at once.
 */
export const leavable = <T>(
  items: AsyncGenerator<T>,
  leave: () => Promise<void>,
): AsyncIterableIterator<T> => {
  const iterator: AsyncIterableIterator<T> = {
    next: () => items.next(),
    return: async () => {
      await leave();
      return items.return(undefined);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
};
