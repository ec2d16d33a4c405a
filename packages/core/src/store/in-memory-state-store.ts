import { z } from 'zod';
import { parseOptions } from '../service/parse-options';
import { reached, type RecordPosition } from './position';
import type { ApplyChange, ApplyResult, EntityRef, StateStore, StoredEntity } from './state-store';

export const inMemoryStateStoreDefaults = Object.freeze({
  /** How long an applied event id is remembered for duplicate detection. @defaultValue 7 days */
  dedupWindowMs: 7 * 24 * 60 * 60 * 1000,
});

const optionsSchema = z.object({ dedupWindowMs: z.number().int().positive() }).strict();

export type InMemoryStateStoreOptions = Partial<typeof inMemoryStateStoreDefaults>;

interface Row {
  state: unknown;
  version: number;
  position: RecordPosition | undefined;
  applied: Map<string, number>;
}

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
        return { status: 'duplicate', version: row.version, reason: 'position' } as const;
      }
      const seenAt = row?.applied.get(change.eventId);
      if (row && seenAt !== undefined && now - seenAt <= opts.dedupWindowMs) {
        row.position = change.position;
        return { status: 'duplicate', version: row.version, reason: 'event-id' } as const;
      }
      const state = await change.update(row?.state as S | undefined, undefined);
      const applied = row?.applied ?? new Map<string, number>();
      for (const [id, at] of applied) if (now - at > opts.dedupWindowMs) applied.delete(id);
      applied.set(change.eventId, now);
      const version = (row?.version ?? 0) + 1;
      rows.set(key, { state: structuredClone(state), version, position: change.position, applied });
      return { status: 'applied', version, state } as const;
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
      if (!row) return undefined;
      return { state: structuredClone(row.state) as S, version: row.version, position: row.position };
    },
    entities<S>(type: string) {
      const out = new Map<string, StoredEntity<S>>();
      for (const [key, row] of rows) {
        const [t, id] = key.split('\u0000') as [string, string];
        if (t === type) out.set(id, { state: row.state as S, version: row.version, position: row.position });
      }
      return out;
    },
    async close() {},
  };
}
