// `pnpm bench`: runs every benchmark script in sequence, each in its own process, with the load average before
// and after (these machines are shared: read the ratios, not the absolutes).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

const scripts = [
  'benchmarks/codec/avro-vs-json.ts',
  'benchmarks/apply/postgres.ts',
  'benchmarks/apply/cassandra.ts',
];
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
  console.log(`\n=== ${script}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`\nload average after: ${load()}`);
process.exitCode = failed > 0 ? 1 : 0;
