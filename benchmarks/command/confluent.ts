// Command path on the librdkafka transport (packages/transport-confluent): service.send() against the
// @confluentinc/kafka-javascript producer a user would write instead, one record per send and 100 per send.
// Needs the native client built by `bash scripts/build-confluent.sh` (a one-off build of several minutes).
// Fewer commands per point by default than kafkajs.ts: at concurrency 1 each send waits out linger.ms (5 ms).
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/command/confluent.ts
//      [commands per point, default 3000] [rounds, default 3]   (without --conditions it re-runs itself with it)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const SOURCE = '@listen-to-yourself/source';
const conditions = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');

if (!conditions.includes(SOURCE)) {
  // transport-confluent imports '@listen-to-yourself/core' by name: without this condition it would get core's
  // dist (possibly stale) while the benchmark uses core's src. Run again with it, as vitest does.
  const argv = [`--conditions=${SOURCE}`, ...process.execArgv, ...process.argv.slice(1)];
  process.exitCode = spawnSync(process.execPath, argv, { stdio: 'inherit' }).status ?? 1;
} else {
  let library: unknown;
  try {
    // The package's devDependency is a stand-in that loads the cached native build, or says how to make it.
    library = createRequire(new URL('../../packages/transport-confluent/package.json', import.meta.url))(
      '@confluentinc/kafka-javascript',
    );
  } catch (err) {
    console.error(`confluent benchmark skipped: ${(err as Error).message}`);
    process.exitCode = 1;
  }
  if (library) {
    const { runConfluentBenchmark } = await import('./confluent-bench');
    await runConfluentBenchmark(library);
  }
}
