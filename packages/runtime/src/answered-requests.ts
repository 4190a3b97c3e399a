import { RequestOne } from '@nats-io/nats-core/internal';
import type { Msg } from '@nats-io/nats-core';

let settledOnce = false;

/**
 * nats.js 3.4 settles every answered request twice: `RequestOne.resolver` resolves its promise,
 * then calls `cancel()`, which rejects that same, already settled promise with a new
 * `RequestError('cancelled')`, an Error with its stack built for nothing. Every publish
 * acknowledgement and direct get is such a request: under the saga's load that was 2 to 4% of a
 * service's CPU. Here an answer resolves the request and forgets it, as `cancel()` would, without
 * that error; a failed or timed-out request goes through the library's own code. Called once,
 * before the first connection.
 */
export const settleAnsweredRequestsOnce = (): void => {
  if (settledOnce) return;
  settledOnce = true;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
  const resolver = RequestOne.prototype.resolver;
  RequestOne.prototype.resolver = function (this: RequestOne, error: Error | null, msg: Msg) {
    if (error !== null) {
      resolver.call(this, error, msg);
      return;
    }
    this.timer?.cancel();
    this.deferred.resolve(msg);
    this.mux.cancel(this);
  };
};
