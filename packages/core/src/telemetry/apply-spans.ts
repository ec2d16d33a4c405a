import type { IncomingRecord } from '../transport/transport';
import { ATTR } from './attributes';
import type { TracedDeps } from './consumer-spans';
import { contextOfRecord } from './consumer-spans';
import { otel } from './otel-api';
import { endSpan, inSpan, tracer, tracingOn } from './spans';

type Status = { readonly status: string };

function latency(deps: TracedDeps, record: IncomingRecord, result: Status, nowMs: number): void {
  if (result.status !== 'applied' || !deps.telemetry) return;
  const ts = Number(record.timestamp);
  if (!Number.isFinite(ts)) return;
  deps.telemetry.applied(Math.max(0, nowMs - ts) / 1000, {
    [ATTR.consumerGroup]: deps.groupId,
    [ATTR.destination]: record.topic,
  });
}

/** Runs one own event's store apply in a child span `lty.apply`; counts its ack-to-applied latency. */
export async function traceApply<R extends Status>(
  deps: TracedDeps,
  record: IncomingRecord,
  fn: () => Promise<R>,
): Promise<R> {
  const result = await inSpan('lty.apply', {}, async (span) => {
    const r = await fn();
    span?.setAttribute(ATTR.applyStatus, r.status);
    return r;
  });
  latency(deps, record, result, Date.now());
  return result;
}

/** Runs a batch apply with one `lty.apply` span under each record's CONSUMER span (see `traceRun`). */
export async function traceApplyBatch<R extends Status>(
  deps: TracedDeps,
  records: readonly IncomingRecord[],
  fn: () => Promise<readonly R[]>,
): Promise<readonly R[]> {
  const on = otel();
  const api = on && tracingOn(on) ? on : undefined;
  const spans = api
    ? records.map((r) =>
        tracer(api).startSpan(
          'lty.apply',
          { attributes: { [ATTR.batchCount]: records.length } },
          contextOfRecord(r),
        ),
      )
    : [];
  let results: readonly R[];
  try {
    results = await fn();
  } catch (err) {
    spans.forEach((s) => endSpan(s, err));
    throw err;
  }
  const now = Date.now();
  results.forEach((r, i) => {
    spans[i]?.setAttribute(ATTR.applyStatus, r.status);
    if (records[i]) latency(deps, records[i], r, now);
  });
  spans.forEach((s) => endSpan(s));
  return results;
}
