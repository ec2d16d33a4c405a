import { isLtyError } from '@listen-to-yourself/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parsePostgresOptions, postgresStateStoreDefaults } from './options';
import { tableNames } from './tables';

describe('postgresStateStore options', () => {
  it('falls back to frozen defaults', () => {
    const { options } = parsePostgresOptions({ connectionString: 'postgres://x' });
    expect(options).toEqual(postgresStateStoreDefaults);
    expect(Object.isFrozen(postgresStateStoreDefaults)).toBe(true);
  });

  it('accepts a pool the user owns', () => {
    const pool = new pg.Pool();
    expect(parsePostgresOptions({ pool }).connection).toEqual({ pool });
  });

  it('reports every problem at once', () => {
    let caught: unknown;
    try {
      parsePostgresOptions(
        { connectionString: '' },
        { schema: 'x; DROP TABLE y', maxBatchSize: 0, dedupWindowMs: -1 },
      );
    } catch (err) {
      caught = err;
    }
    expect(isLtyError(caught, 'LTY_CONFIG')).toBe(true);
    const issues = (caught as { issues: string[] }).issues;
    expect(issues.map((i) => i.split(':')[0])).toEqual(
      expect.arrayContaining(['connection.connectionString', 'schema', 'dedupWindowMs', 'maxBatchSize']),
    );
  });

  it('rejects unknown options and a connection that is neither a pool nor a connection string', () => {
    expect(() =>
      parsePostgresOptions({ connectionString: 'postgres://x' }, { schemaName: 'a' } as never),
    ).toThrow(/schemaName|Unrecognized/);
    expect(() => parsePostgresOptions({ pool: {} } as never)).toThrow(/connection/);
  });

  it('quotes the schema and the prefixed table names', () => {
    expect(tableNames('Events', 'svc_')).toEqual({
      entities: '"Events"."svc_entities"',
      appliedEvents: '"Events"."svc_applied_events"',
      migrations: '"Events"."svc_migrations"',
    });
  });
});
