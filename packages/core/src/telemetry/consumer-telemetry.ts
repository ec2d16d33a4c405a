import type { Histogram } from '@opentelemetry/api';
import { ATTR, type Attributes } from './attributes';
import { inHandRecords, type InHand } from './in-hand';

/**
 * The per-service state the partition workers feed: records in hand, and the ack-to-applied histogram. Both are
 * no-ops until the service's metrics start (`use(histogram)`).
 */
export interface ConsumerTelemetry {
  readonly inHand: InHand;
  /** True once the service's metrics started (a meter provider is registered): records are then counted. */
  readonly metered: boolean;
  /** Records an own event's time from its record's timestamp to its apply; no-op before `start()`. */
  applied(latencySeconds: number, groupId: string, topic: string): void;
}

export function consumerTelemetry(): ConsumerTelemetry & { use(histogram: Histogram | undefined): void } {
  let histogram: Histogram | undefined;
  // One attributes object per group and topic, not one per record.
  const attributes = new Map<string, Attributes>();
  const attributesOf = (groupId: string, topic: string): Attributes => {
    const key = `${groupId}\u0000${topic}`;
    let a = attributes.get(key);
    if (!a) attributes.set(key, (a = { [ATTR.consumerGroup]: groupId, [ATTR.destination]: topic }));
    return a;
  };
  const records = inHandRecords();
  // Without metrics nothing is kept per record.
  const inHand: InHand = {
    take: (g, t, p, ts) => void (histogram && records.take(g, t, p, ts)),
    release: (g, t, p) => void (histogram && records.release(g, t, p)),
    ageSeconds: (g, t, p, now) => records.ageSeconds(g, t, p, now),
  };
  return {
    inHand,
    get metered() {
      return histogram !== undefined;
    },
    applied: (seconds, groupId, topic) => histogram?.record(seconds, attributesOf(groupId, topic)),
    use: (h) => void (histogram = h),
  };
}
