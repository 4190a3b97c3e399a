import { gauge, type Logger } from '@orderflow/runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { Channel } from './channel';
import type { UpstreamEvent } from './upstream';

export interface EventFeedOptions {
  /** Turns an upstream event into the client's result (fetching other subgraphs' fields). */
  readonly complete: (event: UpstreamEvent) => Promise<ExecutionResult>;
  /** Events received and not yet read by the client, past which the subscription is ended. */
  readonly maxBacklog: number;
  /**
   * Bytes the client's socket holds unsent: results it was sent and has not taken. Past
   * `maxUnsentBytes` the subscription is ended, with an error it will read after them.
   */
  readonly unsent: () => number;
  readonly maxUnsentBytes: number;
  /** Waits for a turn to hand a result to the client (see Pacer). */
  readonly pace: () => Promise<void>;
  /** Runs once when the client's subscription ends, however it ends. */
  readonly onClose: () => void;
  readonly log: Logger;
}

/** The subscriptions open now, for the gauges below (read when /metrics is scraped). */
const live = new Set<EventFeed>();

gauge({
  name: 'orderflow_gateway_subscriptions',
  help: 'Client subscriptions open on this gateway',
  collect() {
    this.set(live.size);
  },
});

gauge({
  name: 'orderflow_gateway_subscription_backlog',
  help: 'Events received for client subscriptions and not read by their clients yet, in all',
  collect() {
    let backlog = 0;
    for (const feed of live) backlog += feed.backlog;
    this.set(backlog);
  },
});

const ending = (message: string, code: string): ExecutionResult => ({
  errors: [new GraphQLError(message, { extensions: { code } })],
});

/**
 * One client's subscription: upstream events are completed one after another, so the client sees
 * them in the order they came, and queued for the client to read. Two things end it, with an
 * error that says why and leaves the gateway serving everyone else: an event that cannot be
 * completed, and a client that falls `maxBacklog` events behind (its events are not dropped one
 * by one, which would break "none missed": it is ended, and resubscribes with `sinceVersion`).
 */
export class EventFeed {
  readonly results: Channel<ExecutionResult>;
  private completing = Promise.resolve();
  /** Received and not yet queued: being completed. */
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly options: EventFeedOptions) {
    this.results = new Channel<ExecutionResult>(() => {
      // The client left, or the feed ended: what is still queued is not completed for no one.
      this.stopped = true;
      live.delete(this);
      options.onClose();
    });
    live.add(this);
  }

  /** Events received and not yet read by the client: being completed, or queued. */
  get backlog(): number {
    return this.inFlight + this.results.size;
  }

  received(event: UpstreamEvent): void {
    if (this.stopped) return;
    const unsent = this.options.unsent();
    if (this.backlog >= this.options.maxBacklog || unsent > this.options.maxUnsentBytes) {
      this.options.log.warn('a subscriber fell too far behind; ending its subscription', {
        backlog: this.backlog,
        unsent,
      });
      return this.stop(
        ending(
          `this subscription fell too far behind (${this.backlog} events waiting, ${unsent} bytes unsent) and was ended; ` +
            'read faster, or subscribe again from the last version you saw',
          'SUBSCRIPTION_TOO_SLOW',
        ),
      );
    }
    this.inFlight++;
    this.completing = this.completing.then(async () => {
      try {
        if (this.stopped) return;
        const result = await this.options.complete(event);
        await this.options.pace();
        if (!this.stopped) this.results.push(result);
      } catch (error) {
        this.options.log.error('could not complete a subscription event; ending it', { error });
        this.stop(
          ending(
            'an event of this subscription could not be completed; subscribe again',
            'SUBSCRIPTION_EVENT_FAILED',
          ),
        );
      } finally {
        this.inFlight--;
      }
    });
  }

  /** The upstream ended: after the events before it, end with `failure` (if any) or complete. */
  upstreamEnded(failure?: ExecutionResult): void {
    this.completing = this.completing.then(() => this.stop(failure));
  }

  private stop(last?: ExecutionResult): void {
    if (this.stopped) return;
    this.stopped = true;
    if (last) this.results.push(last);
    this.results.end();
  }
}
