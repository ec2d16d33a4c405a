import { onEvent } from '@listen-to-yourself/core';
import { LegacyOrderRefused, OrderRejected } from 'order-contracts';

// #region refusals
/**
 * The order service's subscription to the legacy service's topic: a refusal there becomes the order service's
 * own `OrderRejected`, produced to its own topic with the consumed offset, and applied by its own reducer.
 */
export function legacyRefusals(options: { group: string; legacyTopic: string }) {
  return onEvent(LegacyOrderRefused, (e) => [OrderRejected.of(e.payload)], {
    group: options.group,
    topic: options.legacyTopic,
  });
}
// #endregion refusals
