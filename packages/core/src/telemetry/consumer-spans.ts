import type { Span } from '@opentelemetry/api';
import { HEADERS } from '../event/headers';
import type { IncomingRecord } from '../transport/transport';
import { ATTR, type Attributes } from './attributes';
import type { ConsumerTelemetry } from './consumer-telemetry';
import { otel } from './otel-api';
import { endSpan, inSpan, linkTo, tracer, tracingApi } from './spans';
import { extractContext } from './trace-context';

/** What the record-level wrappers read from a worker's deps. */
export interface TracedDeps {
  readonly groupId: string;
  readonly telemetry?: ConsumerTelemetry;
}

/**
 * True when neither spans nor metrics are on (no provider registered): the wrappers then call through, with no
 * span, timer, attribute object or extra promise per record.
 */
export function unobserved(deps: TracedDeps): boolean {
  return !deps.telemetry?.metered && tracingApi() === undefined;
}

/** What one record's processing came to, as the partition worker reports it. */
type Processed = 'done' | 'aborted' | { readonly deferMs: number };

// The CONSUMER span of each record of a batch apply under way, which notes the record's apply status.
const batchSpans = new WeakMap<IncomingRecord, Span>();

/** The CONSUMER span of a record being applied in a batch (`traceRun`), if tracing is on. */
export function batchSpanOf(record: IncomingRecord): Span | undefined {
  return batchSpans.get(record);
}

function recordAttributes(groupId: string, r: IncomingRecord): Attributes {
  const a: Attributes = {
    [ATTR.system]: 'kafka',
    [ATTR.operationType]: 'process',
    [ATTR.operationName]: 'process',
    [ATTR.destination]: r.topic,
    [ATTR.partition]: String(r.partition),
    [ATTR.consumerGroup]: groupId,
    [ATTR.offset]: Number(r.offset),
  };
  const id = r.headers[HEADERS.eventId];
  const type = r.headers[HEADERS.eventType];
  if (id) a[ATTR.messageId] = id;
  if (type) a[ATTR.eventType] = type;
  if (r.key) a[ATTR.messageKey] = r.key.toString('utf8');
  return a;
}

/**
 * Processes one record in a CONSUMER span `process <topic>`, a child of the producer's span (the record's
 * `traceparent`), and keeps the record in hand for the time-lag gauge until it is done.
 */
export function traceRecord(
  deps: TracedDeps,
  record: IncomingRecord,
  fn: () => Promise<Processed>,
): Promise<Processed> {
  return unobserved(deps) ? fn() : observeRecord(deps, record, fn);
}

async function observeRecord(
  deps: TracedDeps,
  record: IncomingRecord,
  fn: () => Promise<Processed>,
): Promise<Processed> {
  const { groupId } = deps;
  deps.telemetry?.inHand.take(groupId, record.topic, record.partition, Number(record.timestamp));
  const outcome = await inSpan(
    `process ${record.topic}`,
    {
      kind: 'consumer',
      linkParent: true,
      attributes: () => recordAttributes(groupId, record),
      parent: () => extractContext(otel()!, record.headers),
    },
    async (span) => {
      const result = await fn();
      span?.setAttribute(ATTR.outcome, typeof result === 'string' ? result : 'retry');
      return result;
    },
  );
  if (typeof outcome === 'string') deps.telemetry?.inHand.release(groupId, record.topic, record.partition);
  return outcome;
}

/**
 * Applies a run of records in one store call: one CONSUMER span per record, covering the store call and noting
 * the record's apply status (no `lty.apply` child: it would last exactly as long as its parent).
 */
export function traceRun(
  deps: TracedDeps,
  records: readonly IncomingRecord[],
  fn: () => Promise<boolean>,
): Promise<boolean> {
  return unobserved(deps) ? fn() : observeRun(deps, records, fn);
}

async function observeRun(
  deps: TracedDeps,
  records: readonly IncomingRecord[],
  fn: () => Promise<boolean>,
): Promise<boolean> {
  const first = records[0];
  if (first) deps.telemetry?.inHand.take(deps.groupId, first.topic, first.partition, Number(first.timestamp));
  const api = tracingApi();
  const t = api ? tracer(api) : undefined;
  const spans = api
    ? records.map((r) => {
        const parent = extractContext(api, r.headers);
        const attributes = { ...recordAttributes(deps.groupId, r), [ATTR.batchCount]: records.length };
        const span = t!.startSpan(
          `process ${r.topic}`,
          { kind: api.SpanKind.CONSUMER, attributes, links: linkTo(api, parent) },
          parent,
        );
        batchSpans.set(r, span);
        return span;
      })
    : [];
  try {
    const applied = await fn();
    // A failed batch is processed again one by one, each record in a span of its own.
    for (const s of spans) s.setAttribute(ATTR.outcome, applied ? 'done' : 'batch-failed');
    spans.forEach((s) => endSpan(s));
    return applied;
  } catch (err) {
    spans.forEach((s) => endSpan(s, err));
    throw err;
  } finally {
    if (first) deps.telemetry?.inHand.release(deps.groupId, first.topic, first.partition);
  }
}
