import { ConfigError, type StateStore } from '@listen-to-yourself/core';
import { z } from 'zod';

/** What the suite gets from the adapter for each store it needs. */
export interface StoreUnderTest {
  readonly store: StateStore;
  /** Called after the suite closed `store`: releases what the factory set up for this instance. */
  readonly cleanup?: () => Promise<void>;
}

/** Builds a store for the suite. Calls on one factory must share the backing data (see `persistent`). */
export type StateStoreFactory = () => Promise<StoreUnderTest>;

/** A store running on a client the user created, and a check that this client still works. */
export interface UserOwnedClientFixture {
  readonly store: StateStore;
  /** Resolves when the user's client still works (e.g. `pool.query('SELECT 1')`), rejects otherwise. */
  readonly assertUsable: () => Promise<void>;
  /** Closes the user's client and anything else the fixture set up. */
  readonly cleanup: () => Promise<void>;
}

/** Turns cases on or off and tunes them, like Watermill's `Features`. */
export interface StateStoreContractFeatures {
  /**
   * A store from a later factory call sees what an earlier one wrote: enables the restart cases (a change
   * applied again after a crash between apply and offset commit). @defaultValue true
   */
  readonly persistent?: boolean;
  /** How many applies race in the concurrency cases. @defaultValue 10 */
  readonly concurrency?: number;
  /** Timeout of each case. @defaultValue 30_000 */
  readonly timeoutMs?: number;
  /**
   * Enables the dedup-window case: stores from `factory` forget event ids after `windowMs` (keep it short, the
   * case waits that long).
   */
  readonly expiringDedup?: { readonly windowMs: number; readonly factory: StateStoreFactory };
  /** Enables the ownership case: `close()` leaves a client the user passed in usable. */
  readonly userOwnedClient?: () => Promise<UserOwnedClientFixture>;
}

/** The features the suite uses when an adapter gives none. */
export const stateStoreContractDefaults = Object.freeze({
  persistent: true,
  concurrency: 10,
  timeoutMs: 30_000,
});

/** The features after defaults and validation. */
export type ResolvedFeatures = typeof stateStoreContractDefaults &
  Pick<StateStoreContractFeatures, 'expiringDedup' | 'userOwnedClient'>;

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'expected a function');

const featuresSchema = z
  .object({
    persistent: z.boolean(),
    concurrency: z.number().int().min(2).max(200),
    timeoutMs: z.number().int().positive(),
    expiringDedup: z.object({ windowMs: z.number().int().positive().max(60_000), factory: fn }).optional(),
    userOwnedClient: fn.optional(),
  })
  .strict();

/** Merges the adapter's features over the defaults; reports every problem at once as a `ConfigError`. */
export function resolveFeatures(given: StateStoreContractFeatures = {}): ResolvedFeatures {
  const result = featuresSchema.safeParse({ ...stateStoreContractDefaults, ...given });
  if (result.success) return result.data as ResolvedFeatures;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(features)'}: ${i.message}`);
  throw new ConfigError('describeStateStoreContract features', issues);
}
