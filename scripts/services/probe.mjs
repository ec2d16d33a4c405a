// Asks one service a real question through the same driver the tests use; exit 0 only on a real answer.
// Usage: node scripts/services/probe.mjs kafka|postgres|cassandra|ferretdb|registry
import { serviceConfig } from './service-config.mjs';

const name = process.argv[2];
const cfg = serviceConfig();

const probes = {
  async postgres() {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: cfg.postgresUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query('SELECT 1');
    } finally {
      await client.end();
    }
  },
};

const probe = probes[name];
if (!probe) {
  console.error(`no probe for '${name}'`);
  process.exit(2);
}
try {
  await probe();
  process.exit(0);
} catch (err) {
  console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
