import { RequestError, type Msg } from '@nats-io/nats-core';
import { RequestOne, type MuxSubscription } from '@nats-io/nats-core/internal';
import { settleAnsweredRequestsOnce } from '../src/answered-requests';

describe('a NATS request once answered', () => {
  beforeAll(() => settleAnsweredRequestsOnce());

  const pending = () => {
    const mux = { cancel: jest.fn() };
    const request = new RequestOne(
      mux as unknown as MuxSubscription,
      'subject',
      { timeout: 60_000 },
      false,
    );
    return { mux, request, cancel: jest.spyOn(request, 'cancel') };
  };

  it('resolves with the answer and is forgotten, without building an error to throw away', async () => {
    const { mux, request, cancel } = pending();
    const answer = { subject: 'reply' } as Msg;

    request.resolver(null, answer);

    await expect(request.deferred).resolves.toBe(answer);
    expect(mux.cancel).toHaveBeenCalledWith(request);
    expect(cancel).not.toHaveBeenCalled();
  });

  it('fails as the library fails it when the answer is an error', async () => {
    const { mux, request } = pending();

    request.resolver(new Error('no responders'), {} as Msg);

    await expect(request.deferred).rejects.toBeInstanceOf(RequestError);
    await expect(request.deferred).rejects.toThrow('no responders');
    expect(mux.cancel).toHaveBeenCalledWith(request);
  });
});
