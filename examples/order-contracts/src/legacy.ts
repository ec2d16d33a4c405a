import { defineEvent } from '@listen-to-yourself/core';
import { z } from 'zod';

/** The topic the legacy service publishes on. */
export const LEGACY_TOPIC = 'legacy.events';

// #region legacy-events
/** The legacy system of record refused an order it was told about; it never takes it. */
export const LegacyOrderRefused = defineEvent({
  type: 'legacy.OrderRefused',
  schema: z.object({ orderId: z.string().uuid(), reason: z.string() }),
  key: (e) => e.orderId,
});
// #endregion legacy-events
