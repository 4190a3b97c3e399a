import type { ExecutionResult } from 'graphql';
import type { UpstreamEvent } from './upstream';

/**
 * Completed events, shared by identical subscriptions. Subscriptions on one upstream are handed
 * the same event object, so those with the same operation, variables and caller complete it once
 * (one set of fetches to the other subgraphs, one execution) and each sends the one result.
 * Weak on the event: a result lives as long as some subscriber still holds its event.
 */
export class SharedCompletions {
  private readonly completed = new WeakMap<UpstreamEvent, Map<string, Promise<ExecutionResult>>>();

  complete(
    event: UpstreamEvent,
    subscription: string,
    run: () => Promise<ExecutionResult>,
  ): Promise<ExecutionResult> {
    let results = this.completed.get(event);
    if (results === undefined) {
      results = new Map();
      this.completed.set(event, results);
    }
    let result = results.get(subscription);
    if (result === undefined) {
      result = run();
      results.set(subscription, result);
    }
    return result;
  }
}
