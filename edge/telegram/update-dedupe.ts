/** Processing each update once: Telegram re-delivers a webhook update it thinks failed. */

/** Remembers update ids; the controller provides a persistent one, this file an in-memory one. */
export interface UpdateDedupe {
  /** Marks `updateId` as seen and says whether it had been seen before. */
  seen(updateId: number): Promise<boolean>;
}

/** Creates an in-memory dedupe that remembers the last `capacity` update ids. */
export function createMemoryUpdateDedupe(capacity = 10_000): UpdateDedupe {
  const ids = new Set<number>();
  return {
    async seen(updateId) {
      if (ids.has(updateId)) return true;
      ids.add(updateId);
      if (ids.size > capacity) {
        const oldest = ids.values().next().value;
        if (oldest !== undefined) ids.delete(oldest);
      }
      return false;
    },
  };
}
