import { describeStateStoreContract } from '@listen-to-yourself/testkit';
import pg from 'pg';
import { postgresStateStore } from './postgres-state-store';
import { freshSchema, postgresUrl } from './test-helpers';

const { schema, admin } = freshSchema('contract');

// Each factory call opens its own pool (the store owns it and ends it on close), like a restarted process would.
describeStateStoreContract(
  'postgres',
  async () => ({ store: postgresStateStore({ connectionString: postgresUrl, max: 12 }, { schema }) }),
  {
    expiringDedup: {
      windowMs: 300,
      factory: async () => ({ store: postgresStateStore({ pool: admin }, { schema, dedupWindowMs: 300 }) }),
    },
    userOwnedClient: async () => {
      const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
      return {
        store: postgresStateStore({ pool }, { schema }),
        assertUsable: async () => {
          await pool.query('SELECT 1');
        },
        cleanup: () => pool.end(),
      };
    },
  },
);
