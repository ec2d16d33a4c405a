import { defineEvent } from '@listen-to-yourself/core';
import { z } from 'zod';

/** The topic the order service publishes on. */
export const ORDERS_TOPIC = 'orders.events';

// #region events
export const orderItem = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int().nonnegative(),
});

export const OrderCreated = defineEvent({
  type: 'shop.OrderCreated',
  schema: z.object({
    orderId: z.string().uuid(),
    customerId: z.string(),
    items: z.array(orderItem).min(1),
    totalCents: z.number().int().nonnegative(),
  }),
  key: (e) => e.orderId,
});

export const OrderCancelled = defineEvent({
  type: 'shop.OrderCancelled',
  schema: z.object({ orderId: z.string().uuid(), reason: z.string() }),
  key: (e) => e.orderId,
});

/**
 * The order service refused the order when it applied it (the customer's credit limit): announced by the
 * service itself; the order ends REJECTED and nothing is to be fulfilled.
 */
export const OrderRefused = defineEvent({
  type: 'shop.OrderRefused',
  schema: z.object({ orderId: z.string().uuid(), customerId: z.string(), reason: z.string() }),
  key: (e) => e.orderId,
});

/** The order could not be fulfilled (the legacy system refused it): the order ends REJECTED. */
export const OrderRejected = defineEvent({
  type: 'shop.OrderRejected',
  schema: z.object({ orderId: z.string().uuid(), reason: z.string() }),
  key: (e) => e.orderId,
});
// #endregion events
