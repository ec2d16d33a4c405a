import type { ApplyChange, ApplyResult } from './state-store';

/**
 * For adapters whose writes are per entity (a conditional insert or batch that cannot span entities): applies
 * changes one at a time per entity, in their order, while distinct entities proceed concurrently (at most
 * `concurrency` at once). All groups settle before a failure is thrown, so no write is still under way when the
 * caller retries; the changes applied by then come back as duplicates on that retry.
 */
export async function runPerEntity<S, Tx>(
  changes: readonly ApplyChange<S, Tx>[],
  concurrency: number,
  applyOne: (change: ApplyChange<S, Tx>) => Promise<ApplyResult<S>>,
): Promise<ApplyResult<S>[]> {
  const groups = new Map<string, number[]>();
  changes.forEach((c, i) => {
    const key = JSON.stringify([c.entity.type, c.entity.id]);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  const queue = [...groups.values()];
  const results: ApplyResult<S>[] = new Array<ApplyResult<S>>(changes.length);
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    for (let group = queue.shift(); group && !failure; group = queue.shift()) {
      for (const index of group) {
        try {
          results[index] = await applyOne(changes[index] as ApplyChange<S, Tx>);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
