import type { ResolvedCassandraOptions } from './options';

/** The clustering value of an entity's state row; its dedup markers sort after it as `e:<eventId>`. */
export const STATE_ROW = '';

/** The clustering value of the dedup marker of one event id. */
export function markerRow(eventId: string): string {
  return `e:${eventId}`;
}

/** The clustering value of the row holding the ids of the entity's last relay rounds (see `relayedMarker`). */
export const RELAYED_ROW = 'r';

/**
 * How many relay rounds the relayed row remembers: each mark overwrites one of these slots in turn, so a few marks
 * in a row with no apply between them (which would compact the outbox) all count.
 */
export const RELAYED_SLOTS = 4;

/** `CREATE KEYSPACE IF NOT EXISTS` with the configured replication, as a CQL map literal. */
export function createKeyspaceCql(opts: ResolvedCassandraOptions): string {
  const entries = Object.entries(opts.replication).map(
    ([k, v]) => `'${k}': ${typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`}`,
  );
  return `CREATE KEYSPACE IF NOT EXISTS ${opts.keyspace} WITH replication = {${entries.join(', ')}}`;
}

/**
 * One table, one partition per entity. The partition holds the state row (`row = ''`: state as JSON, version,
 * position, outbox), one dedup marker per applied event id (`row = 'e:<eventId>'`, written with a TTL) and the
 * relayed row (`row = 'r'`: ids of announcements already in Kafka). Because the markers share the entity's
 * partition, "not seen before" and "new state" are checked and written by one conditional batch, which Cassandra
 * allows only inside a single partition.
 */
export function createTableCql(opts: ResolvedCassandraOptions): string {
  return `CREATE TABLE IF NOT EXISTS ${opts.keyspace}.${opts.table} (
    entity_type text,
    entity_id text,
    row text,
    state text,
    version bigint,
    pos_topic text,
    pos_partition int,
    pos_offset bigint,
    writer uuid,
    outbox text,
    rejection text,
    relayed map<int, text>,
    PRIMARY KEY ((entity_type, entity_id), row)
  )`;
}

/** Columns added after the first release, with their types: `init()` adds those a table lacks. */
export const ADDED_COLUMNS: Readonly<Record<string, string>> = Object.freeze({
  outbox: 'text',
  rejection: 'text',
  relayed: 'map<int, text>',
});

/** The statements of the store, all prepared; the keyspace and table are validated identifiers. */
export function statements(opts: ResolvedCassandraOptions) {
  const t = `${opts.keyspace}.${opts.table}`;
  const where = 'WHERE entity_type = ? AND entity_id = ?';
  // The stored position is part of every state-row condition: a position-only write keeps the version, so
  // conditioning on the version alone would let a slower writer put back an older position.
  const unchanged = 'IF version = ? AND pos_topic = ? AND pos_partition = ? AND pos_offset = ?';
  const stateColumns = 'state, version, pos_topic, pos_partition, pos_offset';
  return {
    /** The state row, the marker of one event id and the relayed row, in one single-partition read. */
    readForDecision: `SELECT row, ${stateColumns}, writer, outbox, relayed FROM ${t} ${where} AND row IN (?, ?, ?)`,
    readState: `SELECT ${stateColumns}, outbox FROM ${t} ${where} AND row = ?`,
    readRejection: `SELECT rejection FROM ${t} ${where} AND row = ?`,
    // The outbox is the state row's column: every write of the state writes it in the same conditional batch.
    insertState:
      `INSERT INTO ${t} (entity_type, entity_id, row, ${stateColumns}, outbox) ` +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS',
    updateState:
      `UPDATE ${t} SET state = ?, version = ?, pos_topic = ?, pos_partition = ?, pos_offset = ?, outbox = ? ` +
      `${where} AND row = ? ${unchanged}`,
    insertMarker:
      `INSERT INTO ${t} (entity_type, entity_id, row, version, writer, rejection) ` +
      'VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ?',
    // A plain write of one map entry (no read, no condition, no tombstone: an entry overwrites an entry). It
    // shares no cell with the conditional writes, which touch only the state row and the markers, so its client
    // timestamp never competes with a Paxos ballot's: mixing the two in one partition is safe here.
    markRelayed: `UPDATE ${t} SET relayed[?] = ? ${where} AND row = ?`,
    advancePosition:
      `UPDATE ${t} SET pos_topic = ?, pos_partition = ?, pos_offset = ?, outbox = ? ` +
      `${where} AND row = ? ${unchanged}`,
  } as const;
}

export type Statements = ReturnType<typeof statements>;
