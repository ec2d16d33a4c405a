import {
  dlqControlRecord,
  dlqPartitionFor,
  isReleaseMarker,
  markerSnapshot,
  REDRIVE_HEADERS,
} from '../dlq/control-records';
import { deadLetterRecord, type DeadLetterReason } from '../dlq/dead-letter';
import { messageOf } from '../errors/errors';
import { partitionForKey } from '../transport/partitioner';
import type { RecordPosition } from '../store/position';
import type { BatchControl, IncomingRecord, OutgoingRecord } from '../transport/transport';
import type { WorkerDeps } from './worker-deps';
import { sleepWhileRunning } from './sleep';
import { ATTR, inSpan } from '../telemetry/index';

export type Outcome = 'done' | 'aborted';

/**
 * Produces one record to the DLQ of `from`'s topic, retrying a failing produce until it is acknowledged (the
 * caller commits only after that, so a crash in between loses nothing) or the consumer stops (undefined).
 */
async function produceToDlq(
  deps: WorkerDeps,
  from: IncomingRecord,
  control: BatchControl,
  build: (dlqTopic: string, dlqPartition: number) => OutgoingRecord,
): Promise<{ record: OutgoingRecord; position: RecordPosition } | undefined> {
  const dlqTopic = deps.dlqTopic(from.topic);
  for (let attempt = 1; ; attempt++) {
    try {
      const partitions = await deps.transport.partitionCount(dlqTopic);
      // A group reading two topics (a subscription and its redrive topic) keeps a key's DLQ records in one
      // partition by the key, as their order per key needs; one topic maps partition to partition.
      const partition = deps.dlqPartitionByKey
        ? partitionForKey(from.key?.toString('utf8') ?? '', partitions)
        : dlqPartitionFor(from.partition, partitions);
      const record = build(dlqTopic, partition);
      const [position] = await deps.transport.produce([record]);
      deps.parking?.note(record, position!);
      return { record, position: position! };
    } catch (err) {
      deps.logger.warn('dead-letter produce failed, will retry', { error: messageOf(err) });
      if (!(await sleepWhileRunning(Math.min(deps.transientMaxDelayMs, 100 * 2 ** attempt), control))) {
        return undefined;
      }
    }
  }
}

/** Dead-letters (or, with reason `parked`, parks) a record: same key, original bytes, failure headers. */
export async function deadLetter(
  deps: WorkerDeps,
  record: IncomingRecord,
  control: BatchControl,
  reason: DeadLetterReason,
  error: unknown,
  attempts: number,
  firstFailureAt: Date,
): Promise<Outcome> {
  const lastFailureAt = new Date();
  const span = { attributes: { [ATTR.deadLetterReason]: reason, [ATTR.attempt]: attempts } };
  const produced = await inSpan('lty.dead_letter', span, () =>
    produceToDlq(deps, record, control, (dlqTopic, dlqPartition) =>
      deadLetterRecord({
        record,
        dlqTopic,
        dlqPartition,
        groupId: deps.groupId,
        reason,
        error,
        attempts,
        firstFailureAt,
        lastFailureAt,
      }),
    ),
  );
  if (!produced) return 'aborted';
  deps.onApplied({ topic: record.topic, partition: record.partition, offset: record.offset });
  const fields = {
    groupId: deps.groupId,
    reason,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    error: messageOf(error),
  };
  if (reason === 'parked') {
    deps.counters.parked++;
    deps.logger.info('event parked behind a dead letter of its key', fields);
  } else {
    deps.counters.deadLettered++;
    deps.logger.error('event dead-lettered', fields);
  }
  return 'done';
}

/** Why a record of a parked key is parked rather than applied. */
export function keyParkedError(key: string): Error {
  const err = new Error(`key ${key} is parked behind an earlier dead letter; redrive or purge it to go on`);
  err.name = 'KeyParkedError';
  return err;
}

/** True for a release marker (`isReleaseMarker`) addressed to this group. */
export function isOwnReleaseMarker(deps: WorkerDeps, record: IncomingRecord): boolean {
  return isReleaseMarker(record) && record.headers[REDRIVE_HEADERS.group] === deps.groupId;
}

/**
 * Answers a release marker in the DLQ: `released` unless more of the key's events were parked after the redrive
 * run read the DLQ (their dead letters lie past the marker's snapshot): then `refused`, and the key stays parked
 * so no event of it is applied out of order.
 */
export async function answerReleaseMarker(
  deps: WorkerDeps,
  record: IncomingRecord,
  control: BatchControl,
): Promise<Outcome> {
  const key = record.key?.toString('utf8') ?? '';
  const redriveId = record.headers[REDRIVE_HEADERS.id];
  const release = deps.parking?.mayRelease(key, markerSnapshot(record)) ?? true;
  const produced = await produceToDlq(deps, record, control, (dlqTopic, dlqPartition) =>
    dlqControlRecord({
      dlqTopic,
      dlqPartition,
      key,
      groupId: deps.groupId,
      control: release ? 'released' : 'refused',
      ...(redriveId ? { redriveId } : {}),
    }),
  );
  if (!produced) return 'aborted';
  if (release) {
    deps.counters.released++;
    deps.logger.info('key released', { groupId: deps.groupId, key, redriveId });
  } else {
    deps.logger.warn(
      'release refused: the key parked more events after the redrive read the DLQ; run it again',
      {
        groupId: deps.groupId,
        key,
        redriveId,
      },
    );
  }
  return 'done';
}
