import { ConfigError } from '../errors/errors';
import type { StateStore } from '../store/state-store';
import { announcer, type Announcer } from './announcer';

/**
 * The service's announcer. Without a store only the self group's absence of own handlers makes sense, so the
 * announcer of a store-less service fails as the worker already does for own events without a store.
 */
export function announcerOf(
  deps: Omit<Parameters<typeof announcer>[0], 'store'> & { readonly store: StateStore | undefined },
): Announcer {
  const { store } = deps;
  if (store) return announcer({ ...deps, store });
  const fail = (): never => {
    throw new ConfigError('onOwnEvent', ['own-event handlers need a state store']);
  };
  return {
    decide: fail,
    relay: async (entities) => void (entities.some((e) => e.pending.length > 0) && fail()),
  };
}
