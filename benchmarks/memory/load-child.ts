// One side of the memory benchmark in a process of its own, so that its resident set is its own: starts the
// framework service or the raw baseline, then on 'go' sends an open-loop load to itself until 'stop'. Keeps
// only counters per command, so the load generator adds nothing that grows.
// Run by benchmarks/memory/rss.ts: load-child.ts <framework|raw> <topic> <schema> <commands per second>
import { openLoop, type OpenLoop } from '../e2e/open-loop';
import { deposit, startSide, whenReady } from '../e2e/sides';
import type { Command, Reply } from './protocol';

const [name, topic, schema, rateArg] = process.argv.slice(2);
const rate = Number(rateArg);
const reply = (r: Reply) => process.send?.(r);
let finished = false;
// Orphaned (the parent died or stopped listening): nothing would ever stop the load, so leave at once.
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});

async function main(): Promise<void> {
  if ((name !== 'framework' && name !== 'raw') || !topic || !schema || !(rate > 0)) {
    throw new Error('usage: load-child.ts <framework|raw> <topic> <schema> <rate>');
  }
  const side = await startSide(name, { topic, schema });
  await whenReady(side, 0);
  let seq = 1;
  const counts = { sent: 0, acked: 0, failed: 0, appliedBefore: side.applied() };
  let loop: OpenLoop | undefined;

  process.on('message', (m: Command) => {
    if (m === 'go' && !loop) {
      counts.appliedBefore = side.applied();
      loop = openLoop(rate, () => {
        counts.sent++;
        side.send(deposit(seq++)).then(
          () => counts.acked++,
          () => counts.failed++,
        );
      });
    } else if (m === 'sample') {
      const mem = process.memoryUsage();
      const { sent, acked, failed } = counts;
      const applied = side.applied() - counts.appliedBefore;
      reply({
        kind: 'sample',
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        heapTotal: mem.heapTotal,
        sent,
        acked,
        failed,
        applied,
      });
    } else if (m === 'stop') {
      void (async () => {
        loop?.stop();
        await loop?.done;
        // Let the last sends settle, so that stop() does not count them as failures.
        const end = Date.now() + 30_000;
        while (counts.acked + counts.failed < counts.sent && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 50));
        }
        await side.stop();
        finished = true;
        reply({ kind: 'done' });
        process.disconnect();
        // The service and clients are closed; should a stray handle remain, do not hang the parent.
        setTimeout(() => process.exit(0), 5000).unref();
      })();
    }
  });
  reply({ kind: 'ready' });
}

main().catch((err: unknown) => {
  reply({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  process.disconnect();
});
