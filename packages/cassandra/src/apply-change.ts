import { randomUUID } from 'node:crypto';
import { LtyError, TransientError, decide } from '@listen-to-yourself/core';
import { reached } from '@listen-to-yourself/core/store-kit';
import type { Announcement } from '@listen-to-yourself/core';
import type { ApplyChange, ApplyResult } from '@listen-to-yourself/core/store-kit';
import type { CqlClient } from './connection';
import { isUnknownWriteOutcome, toStoreError } from './errors';
import type { ResolvedCassandraOptions } from './options';
import { stateFromJson, stateToJson, toDecision, toLong, type Decision } from './rows';
import { RELAYED_ROW, STATE_ROW, markerRow, type Statements } from './schema';

/** What the apply loop needs from the store. */
export interface ApplyContext {
  readonly client: CqlClient;
  readonly cql: Statements;
  readonly opts: ResolvedCassandraOptions;
}

// cassandra-driver's types.consistencies values, so that the loop needs no driver import.
export const CONSISTENCY = Object.freeze({ QUORUM: 4, LOCAL_QUORUM: 6, SERIAL: 8, LOCAL_SERIAL: 9 });

type Outcome = 'applied' | 'lost' | 'unknown';

/**
 * Applies one change with compare-and-set: read the state row, this event's marker and the relayed row at SERIAL,
 * decide, then write state + marker in one conditional batch on the entity's partition. A lost batch (someone
 * else wrote first) re-reads and decides again, which may call `update` again (the contract allows it). A batch
 * whose outcome is unknown (timeout) is remembered by its writer id: if a later read shows that writer's marker,
 * that write won and its result is returned; otherwise it lost, because every write is conditional on the marker
 * not existing and on the state row being unchanged.
 *
 * Announcements the relayed row names are in Kafka: every path leaves them out of `pending`, and every write of
 * the state row leaves them out of the outbox it stores (the outbox is compacted by the applies, not the marks).
 * A mark that lands after this read is simply not seen: those ids stay pending and are sent again, same id.
 */
export async function applyChange<S>(
  ctx: ApplyContext,
  change: ApplyChange<S, undefined>,
): Promise<ApplyResult<S>> {
  const { type, id } = change.entity;
  const keys = [type, id] as const;
  const pending = new Map<string, ApplyResult<S>>();
  for (let attempt = 1; attempt <= ctx.opts.maxCasAttempts; attempt++) {
    if (attempt > 1) await contentionPause(attempt);
    const seen = await readForDecision(ctx, type, id, change.eventId);
    const ours = seen.marker?.writer === undefined ? undefined : pending.get(seen.marker.writer);
    if (ours) return ours;

    const row = seen.state;
    // Filtering keeps the order decided among what stays.
    const left = (row?.outbox ?? []).filter((a) => !seen.relayed.has(a.id));
    if (row && reached(row.position, change.position)) {
      return withPending({ status: 'duplicate', version: row.version, reason: 'position' }, left);
    }
    const pos = [change.position.topic, change.position.partition, toLong(change.position.offset)];
    if (seen.marker) {
      if (!row) {
        throw new LtyError(
          'LTY_STORE',
          `cassandra: ${type}/${id} has a dedup marker but no state row (deleted?)`,
        );
      }
      const advance = {
        query: ctx.cql.advancePosition,
        params: [...pos, JSON.stringify(left), ...keys, STATE_ROW, ...row.condition],
      };
      if ((await writeConditional(ctx, [advance])) === 'applied') {
        return withPending({ status: 'duplicate', version: row.version, reason: 'event-id' }, left);
      }
      continue;
    }

    const current = row && row.version > 0 ? stateFromJson<S>(row.stateJson) : undefined;
    const decided = await decide(change, current, undefined);
    const rejected = decided.kind === 'rejected';
    // A refusal keeps the state and version; it still writes the position, the marker and the outbox.
    const version = (row?.version ?? 0) + (rejected ? 0 : 1);
    const json = rejected ? (row?.stateJson ?? 'null') : stateToJson(decided.state);
    const outbox = [...left, ...decided.announcements];
    const outboxJson = JSON.stringify(outbox);
    const writer = randomUUID();
    const stateWrite = row
      ? {
          query: ctx.cql.updateState,
          params: [json, toLong(version), ...pos, outboxJson, ...keys, STATE_ROW, ...row.condition],
        }
      : {
          query: ctx.cql.insertState,
          params: [...keys, STATE_ROW, json, toLong(version), ...pos, outboxJson],
        };
    const marker = {
      query: ctx.cql.insertMarker,
      params: [
        ...keys,
        markerRow(change.eventId),
        toLong(version),
        writer,
        rejected ? decided.rejection : null,
        ctx.opts.dedupTtlSeconds,
      ],
    };
    const result: ApplyResult<S> = withPending(
      rejected
        ? { status: 'rejected', version, rejection: decided.rejection }
        : { status: 'applied', version, state: decided.state },
      outbox,
    );
    const outcome = await writeConditional(ctx, [stateWrite, marker]);
    if (outcome === 'applied') return result;
    if (outcome === 'unknown') pending.set(writer, result);
  }
  throw new TransientError(
    `cassandra: ${ctx.opts.maxCasAttempts} compare-and-set rounds on ${type}/${id} lost to other writers`,
  );
}

function withPending<S>(result: ApplyResult<S>, outbox: readonly Announcement[]): ApplyResult<S> {
  return outbox.length > 0 ? { ...result, pending: [...outbox] } : result;
}

/**
 * The state row, this event's marker and the relayed row, read at SERIAL so that an in-flight Paxos round is
 * settled first. A SERIAL read then reads at quorum, so it also sees every mark acknowledged at QUORUM.
 */
async function readForDecision(
  ctx: ApplyContext,
  type: string,
  id: string,
  eventId: string,
): Promise<Decision> {
  try {
    const rows = [STATE_ROW, markerRow(eventId), RELAYED_ROW];
    const rs = await ctx.client.execute(ctx.cql.readForDecision, [type, id, ...rows], {
      prepare: true,
      consistency: CONSISTENCY[ctx.opts.serialConsistency],
    });
    return toDecision(rs.rows);
  } catch (err) {
    throw toStoreError(err, 'read');
  }
}

/** Runs a conditional batch on one partition: applied, lost (a condition failed) or unknown (timed out). */
async function writeConditional(
  ctx: ApplyContext,
  queries: { query: string; params: unknown[] }[],
): Promise<Outcome> {
  try {
    const rs = await ctx.client.batch(queries, {
      prepare: true,
      consistency: CONSISTENCY[ctx.opts.consistency],
      serialConsistency: CONSISTENCY[ctx.opts.serialConsistency],
      // Never let the driver retry a conditional write elsewhere on its own: the loop resolves it by reading.
      isIdempotent: false,
    });
    return rs.first()?.['[applied]'] === true ? 'applied' : 'lost';
  } catch (err) {
    if (isUnknownWriteOutcome(err)) return 'unknown';
    throw toStoreError(err, 'conditional write');
  }
}

// A short random pause after a lost round, growing with the attempt: writers racing on one partition otherwise
// collide in Paxos again and again.
function contentionPause(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
