import cassandra from 'cassandra-driver';
import type { Announcement } from '@listen-to-yourself/core';
import type { RecordPosition } from '@listen-to-yourself/core/store-kit';
import { RELAYED_ROW, STATE_ROW } from './schema';

/** An entity's state row as read. `state` is still JSON text: only a decision to return it parses it. */
export interface StateRow {
  readonly stateJson: string | null;
  readonly version: number;
  readonly position: RecordPosition | undefined;
  /** The stored position columns as read, bound back unchanged into the next write's condition. */
  readonly condition: readonly unknown[];
  /** The stored outbox, oldest first: it may still hold announcements the relayed row names. */
  readonly outbox: readonly Announcement[];
}

/** A dedup marker as read: which apply attempt wrote it. */
export interface MarkerRow {
  readonly writer: string | undefined;
}

/** What one SERIAL read of the partition tells the apply loop. */
export interface Decision {
  readonly state: StateRow | undefined;
  readonly marker: MarkerRow | undefined;
  /** Ids of announcements in Kafka, from the relayed row (empty when there is none). */
  readonly relayed: ReadonlySet<string>;
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
  };
}

/** Splits the rows of a decision read into the state row, the marker and the relayed ids. */
export function toDecision(rows: readonly Row[]): Decision {
  let state: StateRow | undefined;
  let marker: MarkerRow | undefined;
  const relayed = new Set<string>();
  for (const row of rows) {
    if (row['row'] === STATE_ROW) state = toStateRow(row);
    else if (row['row'] === RELAYED_ROW) relayedIds(row['relayed'], relayed);
    else marker = { writer: (row['writer'] as cassandra.types.Uuid | null)?.toString() };
  }
  return { state, marker, relayed };
}

// The driver returns a map<int, text> as a plain object keyed by the slot number, or as a Map when the user's
// client sets `encoding.map`; null when the row or the column is absent.
function relayedIds(slots: unknown, into: Set<string>): void {
  if (slots === null || typeof slots !== 'object') return;
  const values: unknown[] = slots instanceof Map ? [...slots.values()] : Object.values(slots);
  for (const json of values) {
    if (typeof json === 'string') for (const id of JSON.parse(json) as string[]) into.add(id);
  }
}

/** The JSON a state is stored as; `null` for a state JSON cannot express (undefined). */
export function stateToJson(state: unknown): string {
  return JSON.stringify(state) ?? 'null';
}

/** Parses a stored state. */
export function stateFromJson<S>(json: string | null): S {
  return (json === null ? null : JSON.parse(json)) as S;
}
