import { REDRIVE_HEADERS } from '../dlq/control-records';
import type { ConsumedEvent } from '../event/envelope';
import { checkIdempotencyMany } from '../outcomes/apply-guard';
import type { PendingOf } from '../announcements/announcer';
import type { ApplyChange, ApplyResult } from '../store/state-store';
import type { IncomingRecord } from '../transport/transport';
import { decodeRecord, recordType } from './decode-record';
import type { OwnEventHandler } from './handlers';
import type { WorkerDeps } from './worker-deps';
import { traceApplyBatch } from '../telemetry/index';

/** A record ready for the batch path: decoded, routed to an own handler, its key not parked. */
interface Ready {
  record: IncomingRecord;
  change: ApplyChange;
}

/**
 * The fast path of the self-subscriber: takes the longest run of records from `start` that need nothing but a
 * store apply (own events, decodable, keys not parked, no idempotency conflict, no control records), up to `max`. Anything else ends the
 * run and goes through the careful one-by-one path, which owns retries and dead-lettering.
 */
export async function collectRun(
  deps: WorkerDeps,
  records: readonly IncomingRecord[],
  start: number,
  max: number,
): Promise<Ready[]> {
  const run: Ready[] = [];
  const store = deps.store;
  if (!store || max <= 1) return run;
  for (let i = start; i < records.length && run.length < max; i++) {
    const record = records[i]!;
    const type = recordType(record);
    const handler = type === undefined ? undefined : deps.routes.get(type);
    const key = record.key?.toString('utf8');
    if (handler?.kind !== 'own' || !key || record.headers[REDRIVE_HEADERS.group] !== undefined) break;
    if (deps.parking?.isParked(key)) break;
    let event: ConsumedEvent;
    try {
      event = await decodeRecord(deps.codec, record, handler.definition);
    } catch {
      break; // the one-by-one path retries or dead-letters it
    }
    run.push({ record, change: ownChange(deps, handler, event) });
  }
  // The run's new idempotency keys are claimed before its changes, in one round trip; the run ends before the
  // first conflict (or before everything, if the claim failed), which the one-by-one path then handles.
  try {
    const verdicts = await checkIdempotencyMany(
      deps.ledger,
      run.map((r) => r.record),
    );
    const conflict = verdicts.indexOf('conflict');
    return conflict < 0 ? run : run.slice(0, conflict);
  } catch {
    return [];
  }
}

export function ownChange(deps: WorkerDeps, handler: OwnEventHandler, event: ConsumedEvent): ApplyChange {
  return {
    entity: { type: deps.entityType(handler), id: event.meta.key },
    eventId: event.meta.eventId,
    position: event.meta.position,
    update: (state, tx) =>
      deps.announcer.decide(event, (decisions) => handler.reduce(state, event, { tx, ...decisions })),
  };
}

/**
 * Applies a run in one `applyBatch`. True when every change was applied or recognised as a duplicate; false when
 * the batch failed, in which case the caller handles the same records one by one (changes the batch did apply
 * come back as duplicates, so nothing is applied twice).
 */
export async function applyRun(deps: WorkerDeps, run: readonly Ready[]): Promise<boolean> {
  try {
    const records = run.map((r) => r.record);
    const results = await traceApplyBatch(deps, records, () =>
      deps.store!.applyBatch(run.map((r) => r.change)),
    );
    for (const result of results) countResult(deps, result);
    if (results.some((r) => r.pending)) {
      // The last result of an entity lists all of its announcements still pending.
      const pending = new Map<string, PendingOf>();
      for (const [i, result] of results.entries()) {
        const entity = run[i]!.change.entity;
        pending.set(JSON.stringify([entity.type, entity.id]), { entity, pending: result.pending ?? [] });
      }
      await deps.announcer.relay([...pending.values()]);
    }
    for (const r of run) deps.onApplied(r.change.position);
    return true;
  } catch (err) {
    deps.logger.debug('batch apply failed, falling back to one by one', {
      groupId: deps.groupId,
      records: run.length,
      error: err instanceof Error ? err.message : String(err),
    });
    return false;
  }
}

/** Counts one own event's store outcome. */
export function countResult(deps: WorkerDeps, result: ApplyResult): void {
  if (result.status === 'applied') deps.counters.applied++;
  else if (result.status === 'rejected') deps.counters.rejected++;
  else deps.counters.duplicates++;
}
