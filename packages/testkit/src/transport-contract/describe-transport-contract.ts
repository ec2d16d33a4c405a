import { describe } from 'vitest';
import { adminCases } from './admin-cases';
import { atomicCases } from './atomic-cases';
import { commitCases } from './commit-cases';
import { crashCases } from './crash-cases';
import { resolveTransportFeatures, type TransportContractFeatures, type TransportFactory } from './features';
import { deferCases } from './defer-cases';
import { createTransportHarness } from './fixtures';
import { groupCases } from './group-cases';
import { lifecycleCases } from './lifecycle-cases';
import { produceCases } from './produce-cases';

/**
 * Registers the `Transport` contract suite with vitest: every transport (the in-memory one included) must pass
 * it. `factory` is called several times per case and must return clients of one cluster, as separate processes
 * would be: the group cases run one member per client. The suite connects each client it gets and disconnects it
 * (then calls `cleanup()`) after each case. Cases use random topics and groups, so the cluster need not be empty.
 *
 * @example
 * describeTransportContract('kafkajs', async () => ({ transport: kafkaTransport({ brokers }) }));
 */
export function describeTransportContract(
  name: string,
  factory: TransportFactory,
  features?: TransportContractFeatures,
): void {
  const resolved = resolveTransportFeatures(features);
  describe(`Transport contract: ${name}`, () => {
    const harness = createTransportHarness(factory, resolved);
    produceCases(harness);
    atomicCases(harness);
    groupCases(harness);
    commitCases(harness);
    deferCases(harness);
    adminCases(harness);
    lifecycleCases(harness);
    crashCases(harness);
  });
}
