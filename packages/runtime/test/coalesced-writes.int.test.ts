import type { Msg } from '@nats-io/nats-core';
import { startInfra, type Infra } from './harness';

/** The connection's socket writer: the one place every outgoing byte goes through. */
interface Transport {
  send(frame: Uint8Array): void;
}

const transportOf = (infra: Infra): Transport =>
  (infra.nats.connection as unknown as { protocol: { transport: Transport } }).protocol.transport;

describe('writes to nats-server', () => {
  let infra: Infra;

  beforeAll(async () => {
    infra = await startInfra();
  });
  afterAll(() => infra.stop());

  it('leave in one socket write for everything sent in one turn of the event loop', async () => {
    const { connection } = infra.nats;
    const received: string[] = [];
    const all = new Promise<void>((resolve) => {
      connection.subscribe('coalesced.writes', {
        callback: (_error, msg: Msg) => {
          received.push(msg.string());
          if (received.length === 10) resolve();
        },
      });
    });
    await connection.flush();
    const send = jest.spyOn(transportOf(infra), 'send');

    // Timers due together run in one turn, each followed by its own microtasks: as ten handlers
    // finishing in one turn would publish.
    await new Promise<void>((resolve) => {
      for (let n = 0; n < 10; n++) {
        setTimeout(() => {
          connection.publish('coalesced.writes', `message ${n}`);
          if (n === 9) resolve();
        }, 5);
      }
    });
    await all;

    expect(received).toEqual(Array.from({ length: 10 }, (_, n) => `message ${n}`));
    expect(send).toHaveBeenCalledTimes(1);
    send.mockRestore();
  });

  it('answers a lone request without waiting for anything else to be sent', async () => {
    const { connection } = infra.nats;
    connection.subscribe('coalesced.echo', {
      callback: (_error, msg) => {
        msg.respond(msg.data);
      },
    });

    const answer = await connection.request('coalesced.echo', 'ping', { timeout: 1_000 });

    expect(answer.string()).toBe('ping');
  });
});
