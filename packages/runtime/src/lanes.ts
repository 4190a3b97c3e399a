/**
 * Work in lanes: tasks with the same key run one after another, in the order given; tasks with
 * different keys run at the same time, at most `limit` at once. A consumer keys by subject (one
 * aggregate), so one order's events are handled in order while many orders move together.
 */
export interface Lanes {
  /**
   * Queues `task` behind the key's earlier tasks. Resolves once it holds a place (at once while
   * fewer than `limit` are queued or running), not when it is done: the caller may go on pulling.
   * The task must not reject; it handles its own failure.
   */
  run(key: string, task: () => Promise<void>): Promise<void>;
  /** Resolves when every task queued so far is done. */
  drain(): Promise<void>;
}

export const lanes = (limit: number): Lanes => {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`lanes need a limit of 1 or more`);
  const tails = new Map<string, Promise<void>>();
  const active = new Set<Promise<void>>();
  return {
    async run(key, task) {
      while (active.size >= limit) await Promise.race(active);
      const done: Promise<void> = (tails.get(key) ?? Promise.resolve()).then(task).finally(() => {
        active.delete(done);
        if (tails.get(key) === done) tails.delete(key);
      });
      tails.set(key, done);
      active.add(done);
    },
    drain: async () => {
      await Promise.all(active);
    },
  };
};
