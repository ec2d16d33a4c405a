import type { BatchObservableCallback, Counter, Histogram, Meter, Observable } from '@opentelemetry/api';
import type { SubscriberCounters } from '../subscriber/counters';
import type { Transport } from '../transport/transport';
import { ATTR } from './attributes';
import type { InHand } from './in-hand';
import { LATENCY_BUCKETS_S, METRICS } from './metric-names';
import type { Otel } from './otel-api';
import { TRACER_NAME } from './spans';

/** Where the service's metrics are read from. */
export interface MetricSources {
  readonly service: string;
  readonly counters: Readonly<SubscriberCounters>;
  readonly inFlightSends: () => number;
  /** The consumer groups of this instance and the partitions each owns now. */
  readonly groups: () => readonly { groupId: string; topic: string; partitions: readonly number[] }[];
  readonly transport: Pick<Transport, 'endOffsets' | 'committedOffsets'>;
  /** Bound of the broker calls that measure lag at each collection. */
  readonly lagTimeoutMs: number;
  readonly inHand: InHand;
  /** Announcements stored and not yet relayed. */
  readonly relayBacklog: () => number;
}

/** The instruments a running service records into; `close()` detaches its observable callbacks. */
export interface ServiceMetrics {
  readonly applyLatency: Histogram;
  readonly sendDuration: Histogram;
  readonly rejected: Counter;
  close(): void;
}

// Counter name in METRICS → field of the service's counters.
const COUNTED = [
  ['applied', 'applied'],
  ['duplicates', 'duplicates'],
  ['retries', 'retries'],
  ['deadLettered', 'deadLettered'],
  ['parked', 'parked'],
  ['eventsRejected', 'rejected'],
  ['relayed', 'relayed'],
  ['relayFailures', 'relayFailures'],
] as const;

/**
 * True when the application registered a meter provider: without one the API hands out its no-op meter, and
 * instruments made on it stay no-ops even after a provider is registered later.
 */
export function meteringOn(api: Otel): boolean {
  const meter = api.metrics.getMeter(TRACER_NAME);
  return !(meter instanceof noopMeterClass(api));
}

let noop: { api: Otel; meterClass: abstract new (...args: never[]) => unknown } | undefined;
function noopMeterClass(api: Otel) {
  if (noop?.api !== api) {
    noop = {
      api,
      meterClass: api.createNoopMeter().constructor as abstract new (...args: never[]) => unknown,
    };
  }
  return noop.meterClass;
}

export function serviceMetrics(api: Otel, src: MetricSources): ServiceMetrics {
  const meter: Meter = api.metrics.getMeter(TRACER_NAME);
  const histogram = (m: { name: string; unit: string; description: string }) =>
    meter.createHistogram(m.name, {
      unit: m.unit,
      description: m.description,
      advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_S] },
    });
  const opts = (m: { unit: string; description: string }) => ({ unit: m.unit, description: m.description });
  const service = { [ATTR.service]: src.service };

  const counted = COUNTED.map(
    ([metric, field]) =>
      [field, meter.createObservableCounter(METRICS[metric].name, opts(METRICS[metric]))] as const,
  );
  const inFlight = meter.createObservableUpDownCounter(
    METRICS.inFlightSends.name,
    opts(METRICS.inFlightSends),
  );
  const backlog = meter.createObservableGauge(METRICS.relayBacklog.name, opts(METRICS.relayBacklog));
  const lag = meter.createObservableGauge(METRICS.lag.name, opts(METRICS.lag));
  const timeLag = meter.createObservableGauge(METRICS.timeLag.name, opts(METRICS.timeLag));

  const observeLocal: BatchObservableCallback = (result) => {
    for (const [k, instrument] of counted) result.observe(instrument, src.counters[k], service);
    result.observe(inFlight, src.inFlightSends(), service);
    result.observe(backlog, src.relayBacklog(), service);
  };
  const observeLag: BatchObservableCallback = async (result) => {
    const now = Date.now();
    await Promise.all(
      src.groups().map(async (g) => {
        if (g.partitions.length === 0) return;
        const offsets = await within(src.lagTimeoutMs, () =>
          Promise.all([
            src.transport.endOffsets(g.topic),
            src.transport.committedOffsets(g.groupId, g.topic),
          ]),
        );
        for (const p of g.partitions) {
          const attributes = {
            ...service,
            [ATTR.consumerGroup]: g.groupId,
            [ATTR.destination]: g.topic,
            [ATTR.partition]: String(p),
          };
          const end = offsets?.[0].get(p);
          if (end !== undefined) {
            const behind = BigInt(end) - BigInt(offsets![1].get(p) ?? '0');
            result.observe(lag, behind > 0n ? Number(behind) : 0, attributes);
          }
          result.observe(timeLag, src.inHand.ageSeconds(g.groupId, g.topic, p, now), attributes);
        }
      }),
    );
  };
  const local: Observable[] = [...counted.map(([, i]) => i), inFlight, backlog];
  meter.addBatchObservableCallback(observeLocal, local);
  meter.addBatchObservableCallback(observeLag, [lag, timeLag]);

  return {
    applyLatency: histogram(METRICS.applyLatency),
    sendDuration: histogram(METRICS.sendDuration),
    rejected: meter.createCounter(METRICS.rejected.name, opts(METRICS.rejected)),
    close() {
      meter.removeBatchObservableCallback(observeLocal, local);
      meter.removeBatchObservableCallback(observeLag, [lag, timeLag]);
    },
  };
}

/** The call's result, or undefined when it fails or takes longer than `ms` (no lag is reported then). */
async function within<T>(ms: number, call: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([call().catch(() => undefined), bound]);
  } finally {
    clearTimeout(timer);
  }
}
