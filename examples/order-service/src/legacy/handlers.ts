import { TransientError, onEvent, type EventDraft } from '@listen-to-yourself/core';
import type pg from 'pg';
import { LegacyOrderRefused, OrderCancelled, OrderCreated, OrderRefused } from 'order-contracts';

/** What the old monolith accepts. Anything else it refuses for good, and we compensate. */
export const legacyRules = Object.freeze({
  catalog: new Set(['SKU-BOOK', 'SKU-PEN', 'SKU-MUG', 'SKU-LAMP']),
  maxTotalCents: 100_000,
});

export function legacyTable(schema: string): string {
  return `"${schema}".legacy_orders`;
}

/** The monolith's table: one row per order it was told about, accepted or refused. */
export async function createLegacyTable(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${legacyTable(schema)} (
    order_id uuid PRIMARY KEY,
    customer_id text NOT NULL,
    total_cents bigint NOT NULL,
    status text NOT NULL,
    reason text,
    event_id uuid NOT NULL,
    mirrored_at timestamptz NOT NULL DEFAULT now())`);
}

function refusal(items: { sku: string }[], totalCents: number): string | undefined {
  const unknown = items.filter((i) => !legacyRules.catalog.has(i.sku)).map((i) => i.sku);
  if (unknown.length) return `unknown SKU ${unknown.join(', ')}`;
  if (totalCents > legacyRules.maxTotalCents)
    return `total ${totalCents} over the limit ${legacyRules.maxTotalCents}`;
  return undefined;
}

// #region legacy
/**
 * The legacy service's subscription to the order service's events, in its own consumer group. Its write to its
 * own database is idempotent (the order id is the key) and its decision depends on the event alone, so a
 * redelivered event gives the same row and the same refusal. The refusal is the legacy service's own event: the
 * framework produces it to the legacy service's topic, in one transaction with the consumed offset.
 */
export function legacyHandlers(
  pool: pg.Pool,
  schema: string,
  options: { group: string; ordersTopic: string },
) {
  const { group, ordersTopic: topic } = options;
  const table = legacyTable(schema);
  return [
    onEvent(
      OrderCreated,
      async (e): Promise<EventDraft[]> => {
        const reason = refusal(e.payload.items, e.payload.totalCents);
        await query(
          pool,
          `INSERT INTO ${table} (order_id, customer_id, total_cents, status, reason, event_id)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING`,
          [
            e.payload.orderId,
            e.payload.customerId,
            e.payload.totalCents,
            reason ? 'REFUSED' : 'ACCEPTED',
            reason ?? null,
            e.meta.eventId,
          ],
        );
        return reason ? [LegacyOrderRefused.of({ orderId: e.payload.orderId, reason })] : [];
      },
      { group, topic, retry: { maxAttempts: 5, backoff: { initialDelayMs: 50, maxDelayMs: 2000 } } },
    ),
    onEvent(
      OrderCancelled,
      async (e) => {
        await query(
          pool,
          `UPDATE ${table} SET status = 'CANCELLED' WHERE order_id = $1 AND status = 'ACCEPTED'`,
          [e.payload.orderId],
        );
      },
      { group, topic },
    ),
    // The order service refused the order itself (credit limit): the monolith drops it with the reason.
    onEvent(
      OrderRefused,
      async (e) => {
        await query(
          pool,
          `UPDATE ${table} SET status = 'CANCELLED', reason = $2 WHERE order_id = $1 AND status = 'ACCEPTED'`,
          [e.payload.orderId, e.payload.reason],
        );
      },
      { group, topic },
    ),
  ];
}
// #endregion legacy

// Connection faults heal: mark them transient so they are retried without limit and never compensated.
async function query(pool: pg.Pool, sql: string, params: unknown[]): Promise<void> {
  try {
    await pool.query(sql, params);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (/^(08|57P|53)/.test(code) || /ECONN|ETIMEDOUT|terminat|Connection/i.test(String(err))) {
      throw new TransientError('legacy database unavailable', { cause: err });
    }
    throw err;
  }
}
