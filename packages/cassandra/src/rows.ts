import cassandra from 'cassandra-driver';
import type { Announcement } from '@listen-to-yourself/core';
import type { RecordPosition } from '@listen-to-yourself/core/store-kit';
import { STATE_ROW } from './schema';

/** An entity's state row as read. `state` is still JSON text: only a decision to return it parses it. */
export interface StateRow {
  readonly stateJson: string | null;
  readonly version: number;
  readonly position: RecordPosition | undefined;
  /** The stored position columns as read, bound back unchanged into the next write's condition. */
  readonly condition: readonly unknown[];
  /** The announcements not yet relayed, oldest first, and the column's text as read. */
  readonly outbox: readonly Announcement[];
  readonly outboxJson: string | null;
}

/** A dedup marker as read: which apply attempt wrote it. */
export interface MarkerRow {
  readonly writer: string | undefined;
}

/** What one SERIAL read of the partition tells the apply loop. */
export interface Decision {
  readonly state: StateRow | undefined;
  readonly marker: MarkerRow | undefined;
}

type Row = Record<string, unknown>;

// bigint columns come back as Long, or as a native bigint when the user's client sets useBigIntAsLong: both
// print as decimals.
function decimal(value: unknown): string {
  return String(value);
}

/** A bigint column value for a decimal string (offsets can exceed 2^53). */
export function toLong(value: string | number): cassandra.types.Long {
  return cassandra.types.Long.fromString(String(value));
}

/** Reads the state row's columns (from a decision read or a `get`). */
export function toStateRow(row: Row): StateRow {
  const topic = row['pos_topic'];
  const partition = row['pos_partition'];
  const offset = row['pos_offset'];
  const position =
    typeof topic === 'string' && typeof partition === 'number' && offset !== null && offset !== undefined
      ? { topic, partition, offset: decimal(offset) }
      : undefined;
  return {
    stateJson: typeof row['state'] === 'string' ? row['state'] : null,
    version: Number(decimal(row['version'])),
    position,
    condition: [row['version'], topic ?? null, partition ?? null, offset ?? null],
    outbox: typeof row['outbox'] === 'string' ? (JSON.parse(row['outbox']) as Announcement[]) : [],
    outboxJson: typeof row['outbox'] === 'string' ? row['outbox'] : null,
  };
}

/** Splits the rows of a decision read into the state row and the marker. */
export function toDecision(rows: readonly Row[]): Decision {
  let state: StateRow | undefined;
  let marker: MarkerRow | undefined;
  for (const row of rows) {
    if (row['row'] === STATE_ROW) state = toStateRow(row);
    else marker = { writer: (row['writer'] as cassandra.types.Uuid | null)?.toString() };
  }
  return { state, marker };
}

/** The JSON a state is stored as; `null` for a state JSON cannot express (undefined). */
export function stateToJson(state: unknown): string {
  return JSON.stringify(state) ?? 'null';
}

/** Parses a stored state. */
export function stateFromJson<S>(json: string | null): S {
  return (json === null ? null : JSON.parse(json)) as S;
}
