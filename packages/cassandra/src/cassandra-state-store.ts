import { ConfigError } from '@listen-to-yourself/core';
import { parseOptions, runPerEntity } from '@listen-to-yourself/core/store-kit';
import type { ApplyChange, EntityRef, StateStore, StoredEntity } from '@listen-to-yourself/core/store-kit';
import { CONSISTENCY, applyChange, type ApplyContext } from './apply-change';
import { openClient, type CassandraConnection } from './connection';
import { toStoreError } from './errors';
import {
  cassandraOptionsSchema,
  cassandraStateStoreDefaults,
  type CassandraStateStoreOptions,
  type ResolvedCassandraOptions,
} from './options';
import { stateFromJson, toStateRow } from './rows';
import { STATE_ROW, createKeyspaceCql, createTableCql, markerRow, statements } from './schema';
import { addMissingColumns } from './add-columns';
import { relayedMarker } from './mark-relayed';

/**
 * A StateStore on Cassandra (cassandra-driver 4.10). Each entity is one partition holding its state row and the
 * dedup markers of the events applied to it; a change is checked and written by one conditional (LWT) batch on
 * that partition. What an event changes is therefore its own entity only: a write to another entity's partition
 * cannot be part of the same atomic step, and this API offers none. `Tx` is `undefined`.
 *
 * States are stored as JSON text: they must survive `JSON.stringify`/`JSON.parse` (no Dates, Maps or bigints).
 */
export function cassandraStateStore(
  connection: CassandraConnection,
  options: CassandraStateStoreOptions = {},
): StateStore<undefined> {
  const opts = resolveOptions(connection, options);
  const { client, owned } = openClient(connection);
  const ctx: ApplyContext = { client, cql: statements(opts), opts };
  let closing: Promise<void> | undefined;

  const apply = <S>(change: ApplyChange<S, undefined>) => applyChange(ctx, change);
  return {
    name: 'cassandra',
    async init() {
      try {
        await client.execute(createKeyspaceCql(opts));
        await client.execute(createTableCql(opts));
        await addMissingColumns(client, opts);
      } catch (err) {
        throw toStoreError(err, 'init');
      }
    },
    apply,
    applyBatch: (changes) => runPerEntity(changes, opts.batchConcurrency, apply),
    async get<S>(entity: EntityRef): Promise<StoredEntity<S> | undefined> {
      try {
        const rs = await client.execute(ctx.cql.readState, [entity.type, entity.id, STATE_ROW], {
          prepare: true,
          consistency: CONSISTENCY[opts.consistency],
        });
        const row = rs.first();
        if (!row) return undefined;
        const stored = toStateRow(row);
        // Version 0: only refused events reached the entity; no state was ever applied.
        if (stored.version === 0) return undefined;
        return {
          state: stateFromJson<S>(stored.stateJson),
          version: stored.version,
          position: stored.position,
        };
      } catch (err) {
        throw toStoreError(err, 'get');
      }
    },
    markRelayed: relayedMarker(ctx),
    async rejectionOf(entity, eventId) {
      try {
        const rs = await client.execute(ctx.cql.readRejection, [entity.type, entity.id, markerRow(eventId)], {
          prepare: true,
          consistency: CONSISTENCY[opts.consistency],
        });
        const reason: unknown = rs.first()?.['rejection'];
        return typeof reason === 'string' ? reason : undefined;
      } catch (err) {
        throw toStoreError(err, 'rejectionOf');
      }
    },
    close() {
      closing ??= owned ? client.shutdown() : Promise.resolve();
      return closing;
    },
  };
}

function resolveOptions(
  connection: CassandraConnection,
  options: CassandraStateStoreOptions,
): ResolvedCassandraOptions {
  const fromConnection = 'keyspace' in connection ? connection.keyspace : undefined;
  if (fromConnection !== undefined && options.keyspace !== undefined && fromConnection !== options.keyspace) {
    throw new ConfigError('cassandraStateStore options', [
      `keyspace: the connection says '${fromConnection}', the options say '${options.keyspace}'`,
    ]);
  }
  const merged = { ...options, keyspace: options.keyspace ?? fromConnection };
  return parseOptions(
    'cassandraStateStore options',
    cassandraOptionsSchema,
    cassandraStateStoreDefaults,
    merged,
  );
}
