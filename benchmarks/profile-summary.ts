// Where a process's main thread spent its time: self time by function and by package, from a V8 CPU profile
// (`node --cpu-prof`). Used with `LTY_BENCH_SIDES=<side>` on e2e/latency.ts to see one side's costs.
// Run: node --import tsx benchmarks/profile-summary.ts <file.cpuprofile> [functions to list, default 30]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, top = '30'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [functions to list]');
  process.exit(2);
}
// `--cpu-prof` writes one file per thread: a shell glob handing over two would make the second the count.
const count = Number(top);
if (!Number.isInteger(count) || count < 1) {
  console.error(
    `the number of functions to list must be a positive integer, not "${top}" (one profile at a time)`,
  );
  process.exit(2);
}
let parsed: unknown;
try {
  parsed = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`${file}: ${(err as Error).message}`);
  process.exit(2);
}
if (!isProfile(parsed)) {
  console.error(`${file} is not a V8 CPU profile (no nodes, samples or time deltas)`);
  process.exit(2);
}
const profile = parsed;

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  totalUs += dt;
});

/** A frame's script (the package path under node_modules, or the repository path) and what it belongs to. */
function where(url: string): { script: string; owner: string } {
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const script = url.slice(inModules + 'node_modules/'.length);
    const parts = script.split('/');
    return { script, owner: parts.slice(0, parts[0]!.startsWith('@') ? 2 : 1).join('/') };
  }
  const script = url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
  // Node's own modules by module, the repository's files by their first three path parts.
  return { script, owner: script.startsWith('node:') ? script : script.split('/').slice(0, 3).join('/') };
}
const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
  const { script, owner } = where(url);
  const fn = `${functionName || '(anonymous)'}${script ? ` ${script}:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  // Frames without a script (idle, GC, native calls) stand for themselves.
  const key = script ? owner : fn;
  byOwner.set(key, (byOwner.get(key) ?? 0) + us);
}

function isProfile(v: unknown): v is CpuProfile {
  const p = v as Partial<Record<keyof CpuProfile, unknown>> | null;
  return !!p && Array.isArray(p.nodes) && Array.isArray(p.samples) && Array.isArray(p.timeDeltas);
}

const share = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)} %`;
const ranked = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled`);
console.log('self time by function');
for (const [name, us] of ranked(byFunction, count)) console.log(`${share(us)}  ${name}`);
console.log('self time by package or folder');
for (const [name, us] of ranked(byOwner, 20)) console.log(`${share(us)}  ${name}`);
