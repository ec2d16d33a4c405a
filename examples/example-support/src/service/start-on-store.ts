import type { Service, StateStore } from '@listen-to-yourself/core';
import { openStore } from '../store/open-store';
import type { StoreSettings } from '../store/settings';

/** A started example service and the store it owns. */
export interface RunningService {
  service: Service;
  /** Where its state lives, e.g. `Cassandra keyspace orders`. */
  where: string;
  /** Stops the service (drains, commits, leaves its groups), then closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store `settings` names under `namespace`, builds the service on it and starts it. A start that fails
 * closes the store again, so a caller that retries leaks no connections.
 */
export async function startOnStore(
  settings: StoreSettings,
  namespace: string,
  build: (store: StateStore) => Service,
): Promise<RunningService> {
  const { store, where } = openStore(settings, namespace);
  const service = build(store);
  try {
    await service.start();
  } catch (err) {
    await store.close();
    throw err;
  }
  return { service, where, close: async () => (await service.stop(), await store.close()) };
}
