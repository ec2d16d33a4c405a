import { z } from 'zod';
import { parseOptions } from '../service/parse-options';
import { decide, type Announcement } from './decision';
import { reached, type RecordPosition } from './position';
import type { ApplyChange, ApplyResult, EntityRef, StateStore, StoredEntity } from './state-store';

export const inMemoryStateStoreDefaults = Object.freeze({
  /** How long an applied event id is remembered for duplicate detection. @defaultValue 7 days */
  dedupWindowMs: 7 * 24 * 60 * 60 * 1000,
});

const optionsSchema = z.object({ dedupWindowMs: z.number().int().positive() }).strict();

/** Options of {@link inMemoryStateStore}. */
export interface InMemoryStateStoreOptions {
  /** How long an applied event id is remembered for duplicate detection. @defaultValue 7 days */
  dedupWindowMs?: number;
}

interface Row {
  state: unknown;
  version: number;
  position: RecordPosition | undefined;
  /** Applied (or refused) event ids: when, and the refusal's reason. */
  applied: Map<string, { at: number; rejection?: string }>;
  outbox: Announcement[];
}

const withPending = <T extends object>(result: T, row: Row | undefined): T =>
  row && row.outbox.length > 0 ? { ...result, pending: [...row.outbox] } : result;

/** The in-memory store also exposes its rows for assertions in users' unit tests. */
export interface InMemoryStateStore extends StateStore<undefined> {
  /** Every entity of a type, as stored. */
  entities<S>(type: string): Map<string, StoredEntity<S>>;
}

/**
 * A state store in process memory, for unit tests and local experiments: same contract as the real adapters,
 * nothing survives the process.
 */
export function inMemoryStateStore(options: InMemoryStateStoreOptions = {}): InMemoryStateStore {
  const opts = parseOptions('inMemoryStateStore options', optionsSchema, inMemoryStateStoreDefaults, options);
  const rows = new Map<string, Row>();
  const locks = new Map<string, Promise<unknown>>();
  const rowKey = (e: EntityRef) => `${e.type}\u0000${e.id}`;

  // One change at a time per entity: the same atomicity a database row lock gives.
  function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    locks.set(key, settled);
    void settled.then(() => {
      if (locks.get(key) === settled) locks.delete(key);
    });
    return next;
  }

  async function applyOne<S>(change: ApplyChange<S, undefined>): Promise<ApplyResult<S>> {
    const key = rowKey(change.entity);
    return withLock(key, async () => {
      const row = rows.get(key);
      const now = Date.now();
      if (row && reached(row.position, change.position)) {
        return withPending({ status: 'duplicate', version: row.version, reason: 'position' } as const, row);
      }
      const seen = row?.applied.get(change.eventId);
      if (row && seen !== undefined && now - seen.at <= opts.dedupWindowMs) {
        row.position = change.position;
        return withPending({ status: 'duplicate', version: row.version, reason: 'event-id' } as const, row);
      }
      const decided = await decide(change, row?.state as S | undefined, undefined);
      const applied = new Map(row?.applied);
      for (const [id, at] of applied) if (now - at.at > opts.dedupWindowMs) applied.delete(id);
      const rejection = decided.kind === 'rejected' ? decided.rejection : undefined;
      applied.set(change.eventId, rejection === undefined ? { at: now } : { at: now, rejection });
      const outbox = [...(row?.outbox ?? []), ...structuredClone(decided.announcements)];
      const version = (row?.version ?? 0) + (decided.kind === 'applied' ? 1 : 0);
      const state = decided.kind === 'applied' ? structuredClone(decided.state) : row?.state;
      const next: Row = { state, version, position: change.position, applied, outbox };
      rows.set(key, next);
      if (decided.kind === 'rejected') {
        return withPending({ status: 'rejected', version, rejection: decided.rejection } as const, next);
      }
      return withPending({ status: 'applied', version, state: decided.state } as const, next);
    });
  }

  return {
    name: 'memory',
    async init() {},
    apply: applyOne,
    async applyBatch<S>(changes: readonly ApplyChange<S, undefined>[]) {
      const results: ApplyResult<S>[] = [];
      for (const change of changes) results.push(await applyOne(change));
      return results;
    },
    async get<S>(entity: EntityRef): Promise<StoredEntity<S> | undefined> {
      const row = rows.get(rowKey(entity));
      if (!row || row.version === 0) return undefined;
      return { state: structuredClone(row.state) as S, version: row.version, position: row.position };
    },
    entities<S>(type: string) {
      const out = new Map<string, StoredEntity<S>>();
      for (const [key, row] of rows) {
        const [t, id] = key.split('\u0000') as [string, string];
        if (t === type && row.version > 0)
          out.set(id, { state: row.state as S, version: row.version, position: row.position });
      }
      return out;
    },
    async markRelayed(entity: EntityRef, ids: readonly string[]) {
      const key = rowKey(entity);
      await withLock(key, async () => {
        const row = rows.get(key);
        if (row) row.outbox = row.outbox.filter((a) => !ids.includes(a.id));
      });
    },
    async rejectionOf(entity: EntityRef, eventId: string) {
      const seen = rows.get(rowKey(entity))?.applied.get(eventId);
      return seen && Date.now() - seen.at <= opts.dedupWindowMs ? seen.rejection : undefined;
    },
    async close() {},
  };
}
