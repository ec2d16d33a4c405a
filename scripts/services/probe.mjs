// Asks one service a real question through the same driver the tests use; exit 0 only on a real answer.
// Usage: node scripts/services/probe.mjs <name>   (each probe lives in probes/<name>.mjs)
import { serviceConfig } from './service-config.mjs';

const name = process.argv[2];
if (!/^[a-z0-9-]+$/.test(name ?? '')) {
  console.error('usage: probe.mjs <service>');
  process.exit(2);
}
try {
  const { default: probe } = await import(`./probes/${name}.mjs`);
  await probe(serviceConfig());
  process.exit(0);
} catch (err) {
  console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
