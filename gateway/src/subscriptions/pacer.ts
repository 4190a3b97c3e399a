/**
 * Turns to send, at most `perTurn` per turn of the event loop. One event for a thousand
 * subscribers is a thousand sends that would otherwise all run before the next HTTP request is
 * read: paced, requests are served between the turns, and an overloaded fan-out makes
 * subscribers lag (until they are ended as too slow) instead of starving every caller.
 */
export class Pacer {
  private granted = 0;
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly perTurn: number) {}

  turn(): Promise<void> {
    this.schedule();
    if (this.granted < this.perTurn && this.waiting.length === 0) {
      this.granted++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the poll phase: the I/O that arrived meanwhile has been read.
    setImmediate(() => {
      this.scheduled = false;
      const now = this.waiting.splice(0, this.perTurn);
      this.granted = now.length;
      for (const resolve of now) resolve();
      if (this.waiting.length > 0 || this.granted > 0) this.schedule();
    });
  }
}
