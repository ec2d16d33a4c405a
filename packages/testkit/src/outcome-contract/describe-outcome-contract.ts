import { describe } from 'vitest';
import { conflictCases } from './conflict-cases';
import { deadLetterCases } from './dead-letter-cases';
import { rejectionCases } from './rejection-cases';
import { createOutcomeHarness, type OutcomeContractFactory } from './fixtures';

/**
 * Registers the token-outcome suite with vitest: what `waitForApplied()` and `outcome()` report for applied,
 * dead-lettered, parked, purged, redriven, conflicting and refused events, seen from the applying instance and from
 * another instance of the service, and what `send()` does with a reused idempotency key. Run it on every
 * transport and store. `factory` is called once; its transports must be clients of one cluster.
 *
 * @example
 * describeOutcomeContract('kafkajs + postgres', async () => ({ transport: () => kafkaTransport({ brokers }), store }));
 */
export function describeOutcomeContract(name: string, factory: OutcomeContractFactory): void {
  describe(`Token outcomes: ${name}`, () => {
    const harness = createOutcomeHarness(factory);
    deadLetterCases(harness);
    conflictCases(harness);
    rejectionCases(harness);
  });
}
