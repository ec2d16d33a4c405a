import type { IncomingRecord } from '../transport/transport';
import { ATTR } from './attributes';
import { batchSpanOf, unobserved, type TracedDeps } from './consumer-spans';
import { inSpan } from './spans';

type Status = { readonly status: string };

function latency(deps: TracedDeps, record: IncomingRecord, result: Status, nowMs: number): void {
  if (result.status !== 'applied' || !deps.telemetry) return;
  const ts = Number(record.timestamp);
  if (!Number.isFinite(ts)) return;
  deps.telemetry.applied(Math.max(0, nowMs - ts) / 1000, deps.groupId, record.topic);
}

/** Runs one own event's store apply in a child span `lty.apply`; counts its ack-to-applied latency. */
export function traceApply<R extends Status>(
  deps: TracedDeps,
  record: IncomingRecord,
  fn: () => Promise<R>,
): Promise<R> {
  return unobserved(deps) ? fn() : observeApply(deps, record, fn);
}

async function observeApply<R extends Status>(
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

/** Runs a batch apply: notes each record's status on its CONSUMER span (see `traceRun`), counts latencies. */
export function traceApplyBatch<R extends Status>(
  deps: TracedDeps,
  records: readonly IncomingRecord[],
  fn: () => Promise<readonly R[]>,
): Promise<readonly R[]> {
  return unobserved(deps) ? fn() : observeApplyBatch(deps, records, fn);
}

async function observeApplyBatch<R extends Status>(
  deps: TracedDeps,
  records: readonly IncomingRecord[],
  fn: () => Promise<readonly R[]>,
): Promise<readonly R[]> {
  const results = await fn();
  const now = Date.now();
  results.forEach((r, i) => {
    const record = records[i];
    if (!record) return;
    batchSpanOf(record)?.setAttribute(ATTR.applyStatus, r.status);
    latency(deps, record, r, now);
  });
  return results;
}
