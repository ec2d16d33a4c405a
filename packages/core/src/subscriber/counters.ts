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
  /** Own events a reducer refused (`ctx.reject`). */
  rejected: number;
  /** Relay rounds that produced announcements and marked them relayed. */
  relays: number;
  /** Announcements produced by those rounds (one sent again after a crash counts again). */
  relayed: number;
  /** Relay rounds that failed (retried as a transient fault). */
  relayFailures: number;
  /** Time spent in successful relay rounds, in total and the longest one; the produce part of the total. */
  relayMsTotal: number;
  relayMsMax: number;
  relayProduceMsTotal: number;
  /**
   * Age of each relayed announcement when it reached Kafka (from its decision to the produce's ack): the total
   * and the largest. A relay after a crash shows here as a large age.
   */
  relayAgeMsTotal: number;
  relayAgeMsMax: number;
  /**
   * Announcements in a relay under way now: from the moment the worker hands an apply's pending announcements to
   * the relay until they are marked relayed. A relay that fails leaves them pending in the store; they count
   * again when their record is retried.
   */
  relayPending: number;
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
    rejected: 0,
    relays: 0,
    relayed: 0,
    relayFailures: 0,
    relayMsTotal: 0,
    relayMsMax: 0,
    relayProduceMsTotal: 0,
    relayAgeMsTotal: 0,
    relayAgeMsMax: 0,
    relayPending: 0,
  };
}
