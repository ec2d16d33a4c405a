import type { Codec } from '../codec/codec';
import { DecodeError, RetriesExhaustedError, messageOf } from '../errors/errors';
import { isLtyError } from '../errors/lty-error';
import type { EventDraft } from '../event/define-event';
import type { ConsumedEvent } from '../event/envelope';
import { deadLetterRecord, type DeadLetterReason } from '../dlq/dead-letter';
import { classifyFailure } from '../retry/classify';
import type { Logger } from '../service/logger';
import { nextOffset, type RecordPosition } from '../store/position';
import type { StateStore } from '../store/state-store';
import type { Batch, BatchControl, IncomingRecord, OffsetCommit, Transport } from '../transport/transport';
import type { SubscriberCounters } from './counters';
import { decodeRecord, recordType } from './decode-record';
import type { AnyHandler } from './handlers';
import { sleepWhileRunning } from './sleep';

/** Everything one consumer group's batches need. */
export interface WorkerDeps {
  readonly groupId: string;
  readonly codec: Codec;
  readonly transport: Transport;
  readonly store: StateStore | undefined;
  readonly routes: ReadonlyMap<string, AnyHandler>;
  readonly entityType: (handler: AnyHandler) => string;
  readonly dlqTopic: (topic: string) => string;
  /** Longest wait between attempts of a transient fault (retried without limit). */
  readonly transientMaxDelayMs: number;
  /** Records handled between offset commits within one batch. */
  readonly commitEveryRecords: number;
  readonly counters: SubscriberCounters;
  readonly logger: Logger;
  /** Produces a handler's follow-up events with the consumed offset, in one transaction. */
  readonly emit: (drafts: readonly EventDraft[], cause: ConsumedEvent, offset: OffsetCommit) => Promise<void>;
  readonly onApplied: (position: RecordPosition) => void;
}

type Outcome = 'done' | 'aborted';

/** Handles one partition's batch in order: decode, apply or handle with retries, dead-letter, commit. */
export function createBatchHandler(deps: WorkerDeps) {
  return async function eachBatch(batch: Batch, control: BatchControl): Promise<void> {
    let doneUpTo: string | undefined;
    let sinceCommit = 0;
    const commit = async () => {
      if (doneUpTo === undefined || sinceCommit === 0) return;
      sinceCommit = 0;
      try {
        await control.commit(nextOffset(doneUpTo));
      } catch (err) {
        // A revoked partition cannot commit; its new owner gets these records again and skips them as duplicates.
        deps.logger.warn('offset commit failed', { groupId: deps.groupId, error: messageOf(err) });
      }
    };
    for (const record of batch.records) {
      if (!control.isRunning()) break;
      if ((await processRecord(deps, record, control)) === 'aborted') break;
      doneUpTo = record.offset;
      sinceCommit++;
      if (sinceCommit >= deps.commitEveryRecords) await commit();
    }
    await commit();
  };
}

async function processRecord(
  deps: WorkerDeps,
  record: IncomingRecord,
  control: BatchControl,
): Promise<Outcome> {
  const type = recordType(record);
  if (type === undefined) {
    const err = new DecodeError(
      `Record at ${record.topic}[${record.partition}]@${record.offset} has no event type`,
    );
    return deadLetter(deps, record, control, 'decode', err, 1, new Date());
  }
  const handler = deps.routes.get(type);
  if (!handler) {
    deps.counters.ignored++;
    return 'done';
  }
  let attempt = 1;
  let handlerFailures = 0;
  let firstFailureAt: Date | undefined;
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
    const result = await deps.store.apply({
      entity: { type: deps.entityType(handler), id: event.meta.key },
      eventId: event.meta.eventId,
      position: event.meta.position,
      update: (state, tx) => handler.reduce(state, event, { tx }),
    });
    if (result.status === 'applied') deps.counters.applied++;
    else deps.counters.duplicates++;
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

function permanentReason(err: unknown): DeadLetterReason {
  if (isLtyError(err, 'LTY_DECODE')) return 'decode';
  if (isLtyError(err, 'LTY_SCHEMA')) return 'schema';
  return 'non-retryable';
}

/** Produces the dead letter, retrying a failing produce until it succeeds or the consumer stops. */
async function deadLetter(
  deps: WorkerDeps,
  record: IncomingRecord,
  control: BatchControl,
  reason: DeadLetterReason,
  error: unknown,
  attempts: number,
  firstFailureAt: Date,
): Promise<Outcome> {
  const dlqTopic = deps.dlqTopic(record.topic);
  for (let attempt = 1; ; attempt++) {
    try {
      const partitions = await deps.transport.partitionCount(dlqTopic);
      const dead = deadLetterRecord({
        record,
        dlqTopic,
        dlqPartition: partitions > 0 ? record.partition % partitions : 0,
        groupId: deps.groupId,
        reason,
        error,
        attempts,
        firstFailureAt,
        lastFailureAt: new Date(),
      });
      await deps.transport.produce([dead]);
      deps.counters.deadLettered++;
      deps.logger.error('event dead-lettered', {
        groupId: deps.groupId,
        reason,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        error: messageOf(error),
      });
      return 'done';
    } catch (err) {
      deps.logger.warn('dead-letter produce failed, will retry', { error: messageOf(err) });
      if (!(await sleepWhileRunning(Math.min(deps.transientMaxDelayMs, 100 * 2 ** attempt), control))) {
        return 'aborted';
      }
    }
  }
}
