import { REDRIVE_HEADERS } from '../dlq/control-records';
import { HEADERS } from '../event/headers';
import type { IncomingRecord } from '../transport/transport';
import type { IdempotencyLedger } from './idempotency-ledger';

const positionOf = (r: IncomingRecord) => ({ topic: r.topic, partition: r.partition, offset: r.offset });

/**
 * Before an own event changes anything: 'conflict' when its idempotency key was first used with another input
 * (the event must change nothing), 'ok' otherwise, having claimed the key when it was new. Records without a key
 * or a fingerprint (sent without a key, or by an older version) are always 'ok'.
 */
export async function checkIdempotency(
  ledger: IdempotencyLedger | undefined,
  record: IncomingRecord,
): Promise<'ok' | 'conflict'> {
  return (await checkIdempotencyMany(ledger, [record]))[0]!;
}

/** {@link checkIdempotency} for a run of records, claiming their new keys in one store round trip. */
export async function checkIdempotencyMany(
  ledger: IdempotencyLedger | undefined,
  records: readonly IncomingRecord[],
): Promise<('ok' | 'conflict')[]> {
  const claims = records.map((record) => {
    const key = record.headers[HEADERS.idempotencyKey];
    const fingerprint = record.headers[HEADERS.inputFingerprint];
    const eventId = record.headers[HEADERS.eventId];
    if (!ledger || !key || !fingerprint || !eventId) return undefined;
    const command = record.headers[HEADERS.command];
    return { key, fingerprint, command, eventId, position: positionOf(record) };
  });
  const asked = claims.filter((c) => c !== undefined);
  if (!ledger || asked.length === 0) return records.map(() => 'ok');
  const holders = await ledger.claimMany(asked);
  let n = 0;
  return claims.map((c) => (c === undefined ? 'ok' : holders[n++] === c.fingerprint ? 'ok' : 'conflict'));
}

/** Records that the event met a conflict, so a waiter on its token in any instance learns it. */
export async function recordConflict(ledger: IdempotencyLedger, record: IncomingRecord): Promise<void> {
  await ledger.record(record.headers[HEADERS.eventId]!, positionOf(record), {
    status: 'conflict',
    idempotencyKey: record.headers[HEADERS.idempotencyKey]!,
  });
}

/**
 * After an own event was applied or refused (or found so before): a redriven copy records 'applied' (or
 * 'rejected', as `rejection` tells) under its event id, so the token of the original delivery, whose position the
 * DLQ names, reads so from then on.
 */
export async function recordRedriveApplied(
  ledger: IdempotencyLedger | undefined,
  record: IncomingRecord,
  rejection: () => Promise<string | undefined>,
): Promise<void> {
  const redriveId = record.headers[REDRIVE_HEADERS.id];
  const eventId = record.headers[HEADERS.eventId];
  if (!ledger || !redriveId || !eventId) return;
  const reason = await rejection();
  await ledger.record(
    eventId,
    positionOf(record),
    reason === undefined ? { status: 'applied', redriveId } : { status: 'rejected', redriveId, reason },
  );
}
