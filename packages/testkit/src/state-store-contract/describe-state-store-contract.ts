import { describe } from 'vitest';
import { applyCases } from './apply-cases';
import { batchCases } from './batch-cases';
import { concurrencyCases } from './concurrency-cases';
import { dedupWindowCases, duplicateCases } from './duplicate-cases';
import { errorCases } from './error-cases';
import { resolveFeatures, type StateStoreContractFeatures, type StateStoreFactory } from './features';
import { createHarness } from './fixtures';
import { decisionCases } from './decision-cases';
import { relayCases } from './relay-cases';
import { lifecycleCases } from './lifecycle-cases';
import { restartCases } from './restart-cases';

/**
 * Registers the `StateStore` conformance suite with vitest: every adapter (the in-memory one included) must pass
 * it. `factory` is called once or more per case and must return stores on the same backing data (a shared
 * schema, keyspace or database): the restart cases rely on it. The suite calls `init()` on every store it gets
 * and `close()` then `cleanup()` after each case. Cases use random entity ids and topics, so the backing data
 * need not be empty and may be dropped after the file.
 *
 * @example
 * describeStateStoreContract('postgres', async () => ({ store: postgresStateStore({ pool }) }));
 */
export function describeStateStoreContract(
  name: string,
  factory: StateStoreFactory,
  features?: StateStoreContractFeatures,
): void {
  const resolved = resolveFeatures(features);
  describe(`StateStore contract: ${name}`, () => {
    const harness = createHarness(factory, resolved);
    applyCases(harness);
    duplicateCases(harness);
    dedupWindowCases(harness);
    concurrencyCases(harness);
    restartCases(harness);
    batchCases(harness);
    errorCases(harness);
    lifecycleCases(harness);
    decisionCases(harness);
    relayCases(harness);
  });
}
