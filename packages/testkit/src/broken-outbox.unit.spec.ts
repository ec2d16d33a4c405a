import { decide, decision, inMemoryStateStore, type StateStore } from '@listen-to-yourself/core';
import { describe, it } from 'vitest';
import { decisionCases } from './state-store-contract/decision-cases';
import { resolveFeatures } from './state-store-contract/features';
import { createHarness } from './state-store-contract/fixtures';
import { relayCases } from './state-store-contract/relay-cases';

// The outbox cases must not pass vacuously: against a store that keeps the state and the refusal but drops every
// announcement, each of them fails (`it.fails` passes only when the case fails).
const shared = inMemoryStateStore();
const dropsAnnouncements: StateStore = {
  ...shared,
  apply: (change) =>
    shared.apply({
      ...change,
      update: async (current, tx) => {
        const d = await decide(change, current, tx);
        return d.kind === 'applied' ? decision({ state: d.state }) : decision({ rejection: d.rejection });
      },
    }),
};

describe('outbox cases against a store that drops announcements', () => {
  const harness = createHarness(async () => ({ store: { ...dropsAnnouncements } }), resolveFeatures());
  decisionCases(harness, it.fails);
  relayCases(harness, it.fails);
});

// A store whose markRelayed forgets nothing: the relay cases see announcements sent again and again.
const neverMarks: StateStore = { ...shared, markRelayed: async () => undefined };

describe('relay cases against a store that never marks announcements relayed', () => {
  const harness = createHarness(async () => ({ store: { ...neverMarks } }), resolveFeatures());
  relayCases(harness, it.fails);
});
