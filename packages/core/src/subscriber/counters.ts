/** What a subscriber has done since start. Read with `service.stats()`. */
export interface SubscriberCounters {
  applied: number;
  duplicates: number;
  handled: number;
  emitted: number;
  ignored: number;
  retries: number;
  deadLettered: number;
  /** Records sent to the DLQ because their key was parked behind an earlier dead letter. */
  parked: number;
  /** Keys released by a redrive or purge. */
  released: number;
  /** Own events skipped because their idempotency key was first used with other input. */
  conflicts: number;
}

export function newCounters(): SubscriberCounters {
  return {
    applied: 0,
    duplicates: 0,
    handled: 0,
    emitted: 0,
    ignored: 0,
    retries: 0,
    deadLettered: 0,
    parked: 0,
    released: 0,
    conflicts: 0,
  };
}
