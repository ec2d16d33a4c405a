import { CommandRejectedError, defineCommand } from '@listen-to-yourself/core';
import { OrderCancelled, OrderCreated, OrderRefused, OrderRejected, orderItem } from 'order-contracts';
import { z } from 'zod';
import { CreditReserved, creditLimitsCents } from './credit';

// The events are the order service's published contract: they live in the contracts package its subscribers
// import too (examples/order-contracts).
const item = orderItem;
export { OrderCancelled, OrderCreated, OrderRefused, OrderRejected };

/** Customers this shop knows. A real service would read them from its own store or another service's events. */
export function isKnownCustomer(customerId: string): boolean {
  return /^(alice|bob|carol|customer-\d+)$/.test(customerId) || customerId in creditLimitsCents;
}

/**
 * Refuses input the service could acknowledge but never store: Postgres jsonb holds no U+0000, and an order's total
 * must stay a safe integer (its event's schema says so). Without this, such a command got a 202 and its event went
 * to the dead-letter topic (found by the reliability suite's fuzzing, test/reliability/bad-input.rel.spec.ts).
 */
function storable<S extends z.ZodType>(schema: S): S {
  return schema.superRefine((value, ctx) => {
    for (const path of nulPaths(value))
      ctx.addIssue({ code: 'custom', path, message: 'must not contain U+0000' });
    const items = (value as { items?: { quantity?: unknown; unitPriceCents?: unknown }[] }).items ?? [];
    let total = 0;
    for (const i of items) {
      if (typeof i?.quantity === 'number' && typeof i.unitPriceCents === 'number')
        total += i.quantity * i.unitPriceCents;
    }
    if (!Number.isSafeInteger(total)) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'the order total is too large' });
    }
  });
}

function nulPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulPaths(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => nulPaths(v, [...path, k]));
  return [];
}

// #region commands
export const CreateOrder = defineCommand({
  name: 'CreateOrder',
  input: storable(
    z.object({
      orderId: z.string().uuid(),
      customerId: z.string().min(1, 'customerId is required'),
      items: z.array(item).min(1, 'an order needs at least one item'),
    }),
  ),
  // Read-only business check: refuses the command, produces nothing.
  validate: (cmd) => {
    if (!isKnownCustomer(cmd.customerId)) {
      throw new CommandRejectedError(`unknown customer ${cmd.customerId}`, { customerId: cmd.customerId });
    }
  },
  // The events it may produce: toEvents is typed by them (a draft of another event does not compile).
  emits: [OrderCreated, CreditReserved],
  // An order on account also takes credit from its customer: decided when applied (see credit.ts).
  toEvents: (cmd) => {
    const totalCents = cmd.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);
    const created = OrderCreated.of({ ...cmd, totalCents });
    if (!(cmd.customerId in creditLimitsCents)) return created;
    return [created, CreditReserved.of({ customerId: cmd.customerId, orderId: cmd.orderId, totalCents })];
  },
});

export const CancelOrder = defineCommand({
  name: 'CancelOrder',
  input: storable(
    z.object({ orderId: z.string().uuid(), reason: z.string().default('cancelled by customer') }),
  ),
  emits: [OrderCancelled],
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
