// Run by kill-mid-batch.int.spec.ts as `node --import tsx crash-child.ts` and SIGKILLed while it applies a batch.
import { postgresStateStore } from '../postgres-state-store';
import { crashChanges, type CrashPlan } from './crash-changes';

interface ChildPlan extends CrashPlan {
  readonly connectionString: string;
  readonly schema: string;
  readonly maxBatchSize: number;
}

const plan = JSON.parse(process.env['LTY_CRASH_PLAN'] ?? '') as ChildPlan;
const store = postgresStateStore(
  { connectionString: plan.connectionString, max: 2 },
  { schema: plan.schema, maxBatchSize: plan.maxBatchSize, dedupCleanupIntervalMs: 0 },
);
await store.init();
const changes = crashChanges(plan, async () => {
  process.stdout.write('STALLED\n');
  await new Promise((resolve) => setTimeout(resolve, 600_000));
});
process.stdout.write('STARTED\n');
await store.applyBatch(changes);
process.stdout.write('DONE\n');
await store.close();
