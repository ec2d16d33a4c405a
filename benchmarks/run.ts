// `pnpm bench [filter...]`: runs every benchmark script (or those whose path contains a filter) in sequence, each
// in its own process, with the load average before and after (these machines are shared: read the ratios, not the
// absolutes), then draws the charts of docs/benchmarks.md from the results the scripts wrote.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

// Quick ones first; the 10-minute memory run last.
const all = [
  'benchmarks/codec/avro-vs-json.ts',
  'benchmarks/command/kafkajs.ts',
  'benchmarks/command/confluent.ts',
  'benchmarks/command/cpu.ts',
  'benchmarks/apply/cpu.ts',
  'benchmarks/apply/postgres.ts',
  'benchmarks/apply/cassandra.ts',
  'benchmarks/apply/dedup.ts',
  'benchmarks/apply/scaling.ts',
  'benchmarks/outcomes/idempotency.ts',
  'benchmarks/e2e/latency.ts',
  'benchmarks/telemetry/overhead.ts',
  'benchmarks/relay/relay.ts',
  'benchmarks/restart/restart.ts',
  'benchmarks/memory/rss.ts',
];
const filters = process.argv.slice(2);
const scripts = filters.length === 0 ? all : all.filter((s) => filters.some((f) => s.includes(f)));
if (scripts.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}; there are:\n  ${all.join('\n  ')}`);
  process.exit(2);
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

console.log(
  `${new Date().toISOString()} node ${process.version}, ${cpus().length} cpus, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);
console.log(`load average before: ${load()}`);
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script} (load average ${load()})`);
  // The source condition makes every package resolve '@listen-to-yourself/core' to the same src the script
  // imports, as the tests do, instead of a (possibly stale) second copy from core's dist.
  const args = ['--conditions=@listen-to-yourself/source', '--import', 'tsx', script];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`=== ${script} FAILED (exit ${r.status ?? r.signal})`);
    failed++;
  }
}
console.log(`\nload average after: ${load()}`);
const charts = spawnSync(process.execPath, ['--import', 'tsx', 'benchmarks/charts.ts'], { stdio: 'inherit' });
if (charts.status !== 0) {
  console.log(`=== benchmarks/charts.ts FAILED (exit ${charts.status ?? charts.signal})`);
  failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
