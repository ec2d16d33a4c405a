import { randomUUID } from 'node:crypto';
import type { EntityRef, RecordPosition, StateStore } from '@listen-to-yourself/core';
import type { ApplyChange } from '@listen-to-yourself/core/store-kit';
import { afterEach } from 'vitest';
import type { ResolvedFeatures, StateStoreFactory, StoreUnderTest } from './features';

/** The state every case uses: a counter, plus the order in which changes reached it (to check per-key order). */
export interface Counter {
  readonly count: number;
  readonly log: readonly string[];
}

/** What each group of cases receives. */
export interface ContractHarness {
  readonly features: ResolvedFeatures;
  /** A new, initialised store from the factory; closed and cleaned up after the case. */
  open(factory?: StateStoreFactory): Promise<StateStore>;
  /** What most cases start from: a store from `open()`, an entity and a topic nobody else uses. */
  scene(): Promise<{ store: StateStore; entity: EntityRef; topic: string }>;
}

/** Registers the per-case cleanup and returns the harness the case groups share. */
export function createHarness(factory: StateStoreFactory, features: ResolvedFeatures): ContractHarness {
  const opened: StoreUnderTest[] = [];
  afterEach(async () => {
    const all = opened.splice(0);
    for (const { store, cleanup } of all) {
      await store.close();
      await cleanup?.();
    }
  });
  async function open(from = factory): Promise<StateStore> {
    const underTest = await from();
    opened.push(underTest);
    await underTest.store.init();
    return underTest.store;
  }
  return {
    features,
    open,
    scene: async () => ({ store: await open(), entity: newEntity(), topic: newTopic() }),
  };
}

// Random ids and topics keep cases apart when they share one database, and runs apart when they share a server.
/** A fresh entity nobody else writes. */
export function newEntity(type = 'lty-contract'): EntityRef {
  return { type, id: randomUUID() };
}

/** A fresh topic name. */
export function newTopic(): string {
  return `contract-${randomUUID()}`;
}

/** A record position; offsets are strings as Kafka gives them. */
export function at(topic: string, offset: number | string, partition = 0): RecordPosition {
  return { topic, partition, offset: String(offset) };
}

/** A change that adds one to the counter and appends `tag` (the event id by default) to its log. */
export function increment(
  entity: EntityRef,
  eventId: string,
  position: RecordPosition,
  tag: string = eventId,
): ApplyChange<Counter> {
  return {
    entity,
    eventId,
    position,
    update: (current) => ({ count: (current?.count ?? 0) + 1, log: [...(current?.log ?? []), tag] }),
  };
}

/** A change whose update counts its calls, to check that duplicates never call it. */
export function counted(change: ApplyChange<Counter>): { change: ApplyChange<Counter>; calls: () => number } {
  let calls = 0;
  return {
    change: {
      ...change,
      update: (current, tx) => {
        calls++;
        return change.update(current, tx);
      },
    },
    calls: () => calls,
  };
}

/** The counter that increments with these tags, applied in this order, produce. */
export function expectedCounter(tags: readonly string[]): Counter {
  return { count: tags.length, log: [...tags] };
}

/** Matches an `applied` result with this version, whatever the state. */
export function applied(version: number): { status: 'applied'; version: number } {
  return { status: 'applied', version };
}
