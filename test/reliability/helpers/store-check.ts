import { HEADERS } from '../../../packages/core/src/index';
import pg from 'pg';
import { sleep } from './env';
import type { ReadRecord } from './kafka-read';
import type { AckedCommand, PlannedOrder } from './load';

/** What the store must hold for one acked order: its events, in order, each applied once. */
export interface ExpectedOrder {
  orderId: string;
  totalCents: number;
  /** Event ids in the order they were acked: the create's, then the cancel's. */
  eventIds: string[];
}

/** The figures of a store check. Any non-zero `lost`, `doubled`, `outOfOrder` or `wrongTotal` is a failure. */
export interface StoreCheck {
  expectedEvents: number;
  applied: number;
  lost: number;
  doubled: number;
  outOfOrder: number;
  wrongTotal: number;
  /** Orders in the store that no acked command made (only a command given up on may leave one). */
  extraOrders: number;
  sumExpected: number;
  sumStored: number;
}

/**
 * Matches every acked command with the record its receipt points at. A 202 whose position holds no record, or a
 * record of another key or type, is a receipt without a durable write: returned in `phantom`.
 */
export function expectedFromTopic(
  orders: readonly PlannedOrder[],
  acked: readonly AckedCommand[],
  records: readonly ReadRecord[],
): { expected: ExpectedOrder[]; phantom: (AckedCommand & { found: string })[] } {
  const at = new Map(records.map((r) => [`${r.partition}:${r.offset}`, r] as const));
  const whereIs = (id: string | undefined) =>
    records.filter((r) => id && r.headers[HEADERS.eventId] === id).map((r) => `${r.partition}@${r.offset}`);
  const byOrder = new Map<string, AckedCommand[]>();
  const phantom: (AckedCommand & { found: string })[] = [];
  for (const a of acked) {
    const r = at.get(`${a.position.partition}:${a.position.offset}`);
    const type = a.kind === 'create' ? 'shop.OrderCreated' : 'shop.OrderCancelled';
    const id = r?.headers[HEADERS.eventId];
    const found =
      (r ? `key ${r.key}, type ${r.headers[HEADERS.eventType]}, id ${id}` : 'no record') +
      `; its event id is at [${whereIs(a.eventIds[0]).join(', ')}]`;
    if (!r || !id || r.key !== a.orderId || r.headers[HEADERS.eventType] !== type)
      phantom.push({ ...a, found });
    else if (a.eventIds.length > 0 && a.eventIds[0] !== id) phantom.push({ ...a, found });
    else byOrder.set(a.orderId, [...(byOrder.get(a.orderId) ?? []), { ...a, eventIds: [id] }]);
  }
  const expected: ExpectedOrder[] = [];
  for (const o of orders) {
    const cmds = o.orderId ? byOrder.get(o.orderId) : undefined;
    if (!cmds) continue;
    const ordered = [...cmds].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'create' ? -1 : 1));
    expected.push({
      orderId: o.orderId!,
      totalCents: o.totalCents,
      eventIds: ordered.map((c) => c.eventIds[0]!),
    });
  }
  return { expected, phantom };
}

interface EntityRow {
  entity_id: string;
  version: string;
  state: { totalCents: number; history: string[] };
}

/**
 * Waits until every expected event is applied (or `timeoutMs` passes), then checks the order example's Postgres
 * tables: each order once, with version = its number of events, history in the order the commands were acked
 * (CONFIRMED, then CANCELLED), each event id recorded once, and the sum of totals.
 */
export async function checkStore(
  postgresUrl: string,
  schema: string,
  expected: readonly ExpectedOrder[],
  timeoutMs = 180_000,
): Promise<StoreCheck> {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
  pool.on('error', () => undefined);
  const entities = `"${schema}".lty_entities`;
  const applied = `"${schema}".lty_applied_events`;
  const expectedEvents = expected.reduce((n, o) => n + o.eventIds.length, 0);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await pool
        .query<{ n: string }>(`SELECT count(*) AS n FROM ${applied} WHERE entity_type = 'order'`)
        .catch(() => ({ rows: [{ n: '0' }] }));
      if (Number(rows[0]!.n) >= expectedEvents || Date.now() > deadline) break;
      await sleep(500);
    }
    const { rows: entityRows } = await pool.query<EntityRow>(
      `SELECT entity_id, version::text AS version, state FROM ${entities} WHERE entity_type = 'order' AND version > 0`,
    );
    const { rows: eventRows } = await pool.query<{ entity_id: string; event_id: string }>(
      `SELECT entity_id, event_id FROM ${applied} WHERE entity_type = 'order'`,
    );
    const rowOf = new Map(entityRows.map((r) => [r.entity_id, r] as const));
    const eventsOf = new Map<string, string[]>();
    for (const e of eventRows) eventsOf.set(e.entity_id, [...(eventsOf.get(e.entity_id) ?? []), e.event_id]);

    const check = emptyCheck(expectedEvents);
    const expectedIds = new Set(expected.map((o) => o.orderId));
    check.extraOrders = entityRows.filter((r) => !expectedIds.has(r.entity_id)).length;
    for (const o of expected) {
      check.sumExpected += o.totalCents;
      const row = rowOf.get(o.orderId);
      const ids = eventsOf.get(o.orderId) ?? [];
      const found = o.eventIds.filter((id) => ids.includes(id)).length;
      check.applied += found;
      check.lost += o.eventIds.length - found;
      if (!row) continue;
      check.sumStored += row.state.totalCents;
      if (row.state.totalCents !== o.totalCents) check.wrongTotal++;
      const version = Number(row.version);
      const history = row.state.history;
      const want = o.eventIds.length === 2 ? ['CONFIRMED', 'CANCELLED'] : ['CONFIRMED'];
      // More changes than events, or an event id recorded twice, is a double effect.
      if (version > o.eventIds.length || ids.length > new Set(ids).size || history.length > want.length) {
        check.doubled++;
      } else if (found === o.eventIds.length && history.join() !== want.join()) {
        // Every event applied once, yet another history: a cancel applied before its create, say.
        check.outOfOrder++;
      }
    }
    return check;
  } finally {
    await pool.end();
  }
}

/** A check with nothing counted yet. */
export function emptyCheck(expectedEvents: number): StoreCheck {
  return {
    expectedEvents,
    applied: 0,
    lost: 0,
    doubled: 0,
    outOfOrder: 0,
    wrongTotal: 0,
    extraOrders: 0,
    sumExpected: 0,
    sumStored: 0,
  };
}

/** Drops a run's schema from a Postgres (best effort). */
export async function dropSchema(postgresUrl: string, schema: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
  pool.on('error', () => undefined);
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await pool.end().catch(() => undefined);
}
