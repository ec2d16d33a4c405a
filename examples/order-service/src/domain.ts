import { CommandRejectedError, defineCommand, defineEvent } from '@listen-to-yourself/core';
import { z } from 'zod';

// #region events
const item = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int().nonnegative(),
});

export const OrderCreated = defineEvent({
  type: 'shop.OrderCreated',
  schema: z.object({
    orderId: z.string().uuid(),
    customerId: z.string(),
    items: z.array(item).min(1),
    totalCents: z.number().int().nonnegative(),
  }),
  key: (e) => e.orderId,
});

export const OrderCancelled = defineEvent({
  type: 'shop.OrderCancelled',
  schema: z.object({ orderId: z.string().uuid(), reason: z.string() }),
  key: (e) => e.orderId,
});

/** The legacy system's compensation: it could not take the order, so the order ends REJECTED. */
export const OrderRejected = defineEvent({
  type: 'shop.OrderRejected',
  schema: z.object({ orderId: z.string().uuid(), reason: z.string() }),
  key: (e) => e.orderId,
});
// #endregion events

/** Customers this shop knows. A real service would read them from its own store or another service's events. */
export function isKnownCustomer(customerId: string): boolean {
  return /^(alice|bob|carol|customer-\d+)$/.test(customerId);
}

// #region commands
export const CreateOrder = defineCommand({
  name: 'CreateOrder',
  input: z.object({
    orderId: z.string().uuid(),
    customerId: z.string().min(1, 'customerId is required'),
    items: z.array(item).min(1, 'an order needs at least one item'),
  }),
  // Read-only business check: refuses the command, produces nothing.
  validate: (cmd) => {
    if (!isKnownCustomer(cmd.customerId)) {
      throw new CommandRejectedError(`unknown customer ${cmd.customerId}`, { customerId: cmd.customerId });
    }
  },
  toEvents: (cmd) =>
    OrderCreated.of({
      ...cmd,
      totalCents: cmd.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
    }),
});

export const CancelOrder = defineCommand({
  name: 'CancelOrder',
  input: z.object({ orderId: z.string().uuid(), reason: z.string().default('cancelled by customer') }),
  toEvents: (cmd) => OrderCancelled.of(cmd),
});
// #endregion commands

export type OrderStatus = 'CONFIRMED' | 'REJECTED' | 'CANCELLED';

export interface Order {
  orderId: string;
  customerId?: string;
  items: z.infer<typeof item>[];
  totalCents: number;
  status: OrderStatus;
  /** Every status the order went through, in order. */
  history: OrderStatus[];
  note?: string;
}
