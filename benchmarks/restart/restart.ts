// What a crash costs: an instance of a small service is SIGKILLed while it applies and a new one is started at
// once, as a supervisor would. Measured from the new process's spawn: its first acknowledged command (the
// command path) and its first applied event (the group rebalanced and handed it partitions). Also a graceful
// restart (SIGTERM: the member leaves its group). On both transports, with the settings that change the cost.
// Needs the native client for the librdkafka rows (`bash scripts/build-confluent.sh`). Not measured: KIP-848 with
// static membership, whose restarted member librdkafka 2.15 refuses with a fatal error while the dead one's
// session lasts (seen here; the service reports that group crashed).
// Run: node --conditions=@listen-to-yourself/source --import tsx benchmarks/restart/restart.ts [rounds, default 1]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { writeResult, type GroupResult } from '../lib/results';

const rounds = Number(process.argv[2] ?? 1);
const instance = fileURLToPath(new URL('./instance.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

// The instance runs compiled code, as a deployed service does (tsx compiling the sources at start-up would be
// counted as restart time): build it from the sources of this tree first.
for (const pkg of ['core', 'transport-confluent']) {
  const built = spawnSync(process.execPath, [`${root}node_modules/tsup/dist/cli-default.js`], {
    cwd: `${root}packages/${pkg}`,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error(`building packages/${pkg} failed`);
}

interface Setting {
  readonly label: string;
  readonly env: Record<string, string>;
  readonly stop: 'SIGKILL' | 'SIGTERM';
}
const settings: Setting[] = [
  { label: 'kafkajs, kill', env: { BENCH_TRANSPORT: 'kafkajs' }, stop: 'SIGKILL' },
  {
    label: 'kafkajs, session 10 s, kill',
    env: { BENCH_TRANSPORT: 'kafkajs', BENCH_SESSION_TIMEOUT_MS: '10000' },
    stop: 'SIGKILL',
  },
  { label: 'kafkajs, SIGTERM', env: { BENCH_TRANSPORT: 'kafkajs' }, stop: 'SIGTERM' },
  { label: 'librdkafka, kill', env: { BENCH_TRANSPORT: 'confluent' }, stop: 'SIGKILL' },
  { label: 'librdkafka, SIGTERM', env: { BENCH_TRANSPORT: 'confluent' }, stop: 'SIGTERM' },
  {
    label: 'librdkafka static, kill',
    env: { BENCH_TRANSPORT: 'confluent', BENCH_GROUP_INSTANCE_ID: 'bench-instance-1' },
    stop: 'SIGKILL',
  },
  {
    label: 'librdkafka KIP-848, kill',
    env: { BENCH_TRANSPORT: 'confluent', BENCH_GROUP_PROTOCOL: 'consumer' },
    stop: 'SIGKILL',
  },
];

/** A child instance and the times it reported (epoch ms). */
function launch(env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    // No source condition: transport-confluent's dist then imports core's dist, one copy of core.
    ['--import', 'tsx', instance],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const spawnedAt = Date.now();
  const seen = new Map<string, number>();
  const waiters: { what: string; resolve: (at: number) => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    for (const line of d.toString('utf8').split('\n')) {
      const [what, at] = line.trim().split(' ');
      if (!what || !at || seen.has(what)) continue;
      seen.set(what, Number(at));
      for (const w of waiters.filter((x) => x.what === what)) w.resolve(Number(at));
    }
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const when = (what: string, timeoutMs = 120_000) =>
    new Promise<number>((resolve, reject) => {
      const known = seen.get(what);
      if (known !== undefined) return resolve(known);
      const timer = setTimeout(() => reject(new Error(`no "${what}" within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ what, resolve: (at) => (clearTimeout(timer), resolve(at)) });
    });
  return { child, spawnedAt, when, exited };
}

const groups: GroupResult[] = [];
for (const s of settings) {
  const ack: number[] = [];
  const ackFromStart: number[] = [];
  const apply: number[] = [];
  const env = { ...s.env, BENCH_SERVICE: `restart-${randomUUID().slice(0, 8)}` };
  for (let round = 0; round < rounds; round++) {
    const before = launch(env);
    await before.when('apply');
    // Let it commit and settle in its group, as a service would be when it dies.
    await new Promise((r) => setTimeout(r, 2000));
    before.child.kill(s.stop);
    if (s.stop === 'SIGTERM') await before.exited;
    const after = launch(env);
    const ackAt = await after.when('ack');
    const applyAt = await after.when('apply');
    const startingAt = await after.when('starting');
    ack.push((ackAt - after.spawnedAt) / 1000);
    ackFromStart.push((ackAt - startingAt) / 1000);
    apply.push((applyAt - after.spawnedAt) / 1000);
    console.log(
      `${s.label}, round ${round + 1}: first ack ${ack.at(-1)!.toFixed(2)} s ` +
        `(${ackFromStart.at(-1)!.toFixed(2)} s after start()), first apply ${apply.at(-1)!.toFixed(2)} s`,
    );
    after.child.kill('SIGTERM');
    await Promise.all([after.exited, before.exited]);
  }
  groups.push({
    label: s.label,
    series: [
      { name: 'first ack', rounds: ack },
      { name: 'first ack after start()', rounds: ackFromStart },
      { name: 'first apply', rounds: apply },
    ],
  });
}

writeResult({
  id: 'restart',
  title:
    'Restart after a crash (SIGKILL) or a stop (SIGTERM): seconds from the new process to its first ack and apply',
  unit: 's',
  higherIsBetter: false,
  groupBy: 'transport and settings',
  groups,
  notes: `${rounds} round(s) per setting; default session timeout (30 s) unless said; the instance runs the compiled packages; "first ack" counts from the process spawn, "after start()" from the start() call`,
});
