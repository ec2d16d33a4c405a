import { markerSnapshot, REDRIVE_HEADERS } from '../dlq/control-records';
import type { DeadLetterReason } from '../dlq/dead-letter';
import { DecodeError, RetriesExhaustedError, messageOf } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import type { ConsumedEvent } from '../event/envelope';
import { checkIdempotency, recordConflict, recordRedriveApplied } from '../outcomes/apply-guard';
import { classifyFailure } from '../retry/classify';
import { nextOffset } from '../store/position';
import type { Batch, BatchControl, IncomingRecord } from '../transport/transport';
import {
  answerReleaseMarker,
  deadLetter,
  isOwnReleaseMarker,
  keyParkedError,
  type Outcome,
} from './dead-lettering';
import { decodeRecord, recordType } from './decode-record';
import type { AnyHandler } from './handlers';
import { applyRun, collectRun, countResult, ownChange } from './batch-apply';
import { commitGate } from './commit-gate';
import { deferredRetries, type DeferredRetries } from './deferred-retries';
import { sleepWhileRunning } from './sleep';
import type { WorkerDeps } from './worker-deps';
import { traceApply, traceRecord, traceRun } from '../telemetry/index';

export type { WorkerDeps } from './worker-deps';

/** Handles one partition's batch in order: decode, apply or handle with retries, dead-letter, commit. */
export function createBatchHandler(deps: WorkerDeps) {
  const retries = deferredRetries();
  return async function eachBatch(batch: Batch, control: BatchControl): Promise<void> {
    const gate = commitGate(deps, control);
    let deferMs: number | undefined;
    if (deps.parking && !(await deps.parking.beforeBatch(batch, control))) return;
    const records = batch.records;
    const done = (record: IncomingRecord) => {
      deps.parking?.handled(record.topic, record.partition, record.offset);
      gate.done(record.offset);
    };
    for (let i = 0; i < records.length;) {
      if (!control.isRunning()) break;
      // Many plain applies go to the store in one round trip; the rest (and a failed batch) one by one.
      // A record back from a deferred retry takes its next attempt alone, as it would have without the deferral.
      const run = retries.waiting(records[i]!, control.claim)
        ? []
        : await collectRun(deps, records, i, deps.applyBatchSize);
      if (
        run.length > 1 &&
        (await traceRun(
          deps,
          run.map((r) => r.record),
          () => applyRun(deps, run),
        ))
      ) {
        // One commit per applied run, however long: the run is already durable in the store.
        for (const r of run) done(r.record);
        await gate.commitIfDue();
        i += run.length;
        continue;
      }
      const end = Math.max(i + 1, i + run.length);
      let aborted = false;
      for (; i < end; i++) {
        const outcome = control.isRunning()
          ? await traceRecord(deps, records[i]!, () => processRecord(deps, records[i]!, control, retries))
          : 'aborted';
        if (outcome !== 'done') {
          if (outcome !== 'aborted') deferMs = outcome.deferMs;
          aborted = true;
          break;
        }
        done(records[i]!);
        await gate.commitIfDue();
      }
      if (aborted) break;
    }
    await gate.commit();
    // After the commit, so what comes again after the rest is exactly the records from the waiting one on.
    if (deferMs !== undefined) control.deferPartition?.(deferMs);
  };
}

/** The record must wait `deferMs` for its next attempt, with its partition deferred (`BatchControl.deferPartition`). */
interface Deferral {
  readonly deferMs: number;
}

async function processRecord(
  deps: WorkerDeps,
  record: IncomingRecord,
  control: BatchControl,
  retries: DeferredRetries,
): Promise<Outcome | Deferral> {
  const type = recordType(record);
  // Release markers and redriven copies meant for another group: that group's business, not ours.
  const redriveGroup = record.headers[REDRIVE_HEADERS.group];
  if (redriveGroup !== undefined && redriveGroup !== deps.groupId) {
    deps.counters.ignored++;
    return 'done';
  }
  if (isOwnReleaseMarker(deps, record)) return answerReleaseMarker(deps, record, control);
  const handler = type === undefined ? undefined : deps.routes.get(type);
  const key = record.key?.toString('utf8');
  // A record we would apply (or dead-letter as undecodable) waits behind its key's dead letter.
  if (
    key &&
    (handler || type === undefined) &&
    deps.parking?.isParked(key) &&
    !passesParking(deps, record, key)
  ) {
    return deadLetter(deps, record, control, 'parked', keyParkedError(key), 0, new Date());
  }
  if (type === undefined) {
    const err = new DecodeError(
      `Record at ${record.topic}[${record.partition}]@${record.offset} has no event type`,
    );
    return deadLetter(deps, record, control, 'decode', err, 1, new Date());
  }
  if (!handler) {
    deps.counters.ignored++;
    return 'done';
  }
  // A record delivered again after a deferred retry goes on counting where it stopped.
  let { attempt, handlerFailures, firstFailureAt } = retries.take(record, control.claim);
  for (;;) {
    try {
      await runOnce(deps, handler, record, attempt);
      return 'done';
    } catch (err) {
      const now = new Date();
      firstFailureAt ??= now;
      const kind = classifyFailure(err);
      if (kind === 'permanent') {
        return deadLetter(deps, record, control, permanentReason(err), err, attempt, firstFailureAt);
      }
      if (kind === 'handler') handlerFailures++;
      if (kind === 'handler' && handlerFailures >= handler.retry.maxAttempts) {
        const exhausted = new RetriesExhaustedError(handlerFailures, err);
        return deadLetter(deps, record, control, 'handler', exhausted, attempt, firstFailureAt);
      }
      const delay =
        kind === 'transient'
          ? Math.min(deps.transientMaxDelayMs, handler.retry.backoff(attempt))
          : handler.retry.backoff(handlerFailures);
      deps.counters.retries++;
      deps.logger.warn('event failed, will retry', {
        groupId: deps.groupId,
        type,
        kind,
        attempt,
        delayMs: delay,
        error: messageOf(err),
      });
      if (control.deferPartition) {
        retries.keep(record, { attempt: attempt + 1, handlerFailures, firstFailureAt }, control.claim);
        return { deferMs: delay };
      }
      if (!(await sleepWhileRunning(delay, control))) return 'aborted';
      attempt++;
    }
  }
}

async function runOnce(deps: WorkerDeps, handler: AnyHandler, record: IncomingRecord, attempt: number) {
  const decoded = await decodeRecord(deps.codec, record, handler.definition);
  const event: ConsumedEvent = { ...decoded, meta: { ...decoded.meta, attempt } };
  if (handler.kind === 'own') {
    if (!deps.store) throw new Error('own-event handlers need a state store');
    // One idempotency key, one command input: an event of a key first used with other input changes nothing.
    if ((await checkIdempotency(deps.ledger, record)) === 'conflict') {
      await recordConflict(deps.ledger!, record);
      deps.counters.conflicts++;
      deps.logger.warn('event skipped: its idempotency key was first used with other input', {
        groupId: deps.groupId,
        eventId: event.meta.eventId,
        idempotencyKey: event.meta.idempotencyKey,
      });
      deps.onApplied(event.meta.position);
      return;
    }
    const change = ownChange(deps, handler, event);
    const result = await traceApply(deps, record, () => deps.store!.apply(change));
    countResult(deps, result);
    // Before the offset may pass the record: a crash until the relay is done brings the record back, and its
    // duplicate carries the entity's announcements still pending.
    await deps.announcer.relay([{ entity: change.entity, pending: result.pending ?? [] }]);
    await recordRedriveApplied(deps.ledger, record, async () =>
      result.status === 'rejected'
        ? result.rejection
        : result.status === 'duplicate'
          ? deps.store!.rejectionOf(change.entity, change.eventId)
          : undefined,
    );
    deps.onApplied(event.meta.position);
    return;
  }
  const drafts = await handler.handle(event, { attempt });
  deps.counters.handled++;
  if (drafts && drafts.length > 0) {
    await deps.emit(drafts, event, {
      groupId: deps.groupId,
      topic: record.topic,
      partition: record.partition,
      offset: nextOffset(record.offset),
    });
    deps.counters.emitted += drafts.length;
  }
}

/**
 * A redriven copy from a redrive topic (it carries its run's snapshot, see `planRelease`'s `markerLast`) is
 * handled although its key is parked, unless one of the key's events was dead-lettered after the run read the
 * DLQ (an earlier copy failing again): then it waits behind that one like any other event of the key.
 */
function passesParking(deps: WorkerDeps, record: IncomingRecord, key: string): boolean {
  const h = record.headers;
  if (h[REDRIVE_HEADERS.group] !== deps.groupId || h[REDRIVE_HEADERS.snapshot] === undefined) return false;
  return deps.parking?.mayRelease(key, markerSnapshot(record)) ?? true;
}

function permanentReason(err: unknown): DeadLetterReason {
  if (isLtyError(err, 'LTY_DECODE')) return 'decode';
  if (isLtyError(err, 'LTY_SCHEMA')) return 'schema';
  return 'non-retryable';
}
