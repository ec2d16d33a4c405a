import type { Histogram } from '@opentelemetry/api';
import type { Attributes } from './attributes';
import { inHandRecords, type InHand } from './in-hand';

/** The per-service state the partition workers feed: records in hand, and the ack-to-applied histogram. */
export interface ConsumerTelemetry {
  readonly inHand: InHand;
  /** Records an own event's time from its record's timestamp to its apply; no-op before `start()`. */
  applied(latencySeconds: number, attributes: Attributes): void;
}

export function consumerTelemetry(): ConsumerTelemetry & { use(histogram: Histogram | undefined): void } {
  let histogram: Histogram | undefined;
  return {
    inHand: inHandRecords(),
    applied: (seconds, attributes) => histogram?.record(seconds, attributes),
    use: (h) => void (histogram = h),
  };
}
