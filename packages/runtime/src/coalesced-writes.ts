import { ProtocolHandler } from '@nats-io/nats-core/internal';

/** What this uses of the handler; `flushPending`, which writes the buffer, is private in its types. */
type Protocol = Pick<ProtocolHandler, 'outbound' | 'pendingLimit'> & { flushPending(): void };

let coalescedOnce = false;
const encoder = new TextEncoder();

/**
 * nats.js 3.4 buffers outgoing commands and writes them to the socket at the end of the current
 * microtask queue, so a handler's publish, its ack, a direct get and the next pull each become a
 * write of their own: on loopback a write is a system call that also wakes nats-server, and
 * under the saga's load these writes were a tenth of a service's CPU. Here the buffer is written
 * once per turn of the event loop (`setImmediate`, after the turn's I/O callbacks), so whatever
 * those callbacks send leaves in one write. A command is delayed by at most the rest of the
 * turn; a full buffer is still written at once, as before. Called once, before the first
 * connection.
 */
export const coalesceSocketWritesOnce = (): void => {
  if (coalescedOnce) return;
  coalescedOnce = true;
  ProtocolHandler.prototype.sendCommand = function (
    this: Protocol,
    command: string | Uint8Array,
    ...payloads: Uint8Array[]
  ) {
    const wasEmpty = this.outbound.length() === 0;
    this.outbound.fill(
      typeof command === 'string' ? encoder.encode(command) : command,
      ...payloads,
    );
    if (wasEmpty) setImmediate(() => this.flushPending());
    else if (this.outbound.size() >= this.pendingLimit) this.flushPending();
  };
};
