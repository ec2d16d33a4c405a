import { defineEntity, defineEvent } from '@listen-to-yourself/core';
import { OrderRefused } from 'order-contracts';
import { z } from 'zod';

/** Customers who buy on account, and how much open credit each may use, in cents. */
export const creditLimitsCents: Readonly<Record<string, number>> = Object.freeze({ dave: 20_000 });

export const CREDIT_LIMIT_EXCEEDED = 'credit limit exceeded';

/**
 * An order placed on account takes credit from its customer. Keyed by the customer, so all of one customer's
 * orders are decided one after the other against the credit really left: two orders sent at the same moment
 * cannot both pass a check that only one of them fits (a check at send time would let both through).
 */
export const CreditReserved = defineEvent({
  type: 'shop.CreditReserved',
  schema: z.object({ customerId: z.string(), orderId: z.string().uuid(), totalCents: z.number().int() }),
  key: (e) => e.customerId,
});

/** A customer's credit as the service keeps it. Paying invoices (which would give credit back) is not modelled. */
export interface Credit {
  customerId: string;
  limitCents: number;
  usedCents: number;
  orderIds: string[];
}

// #region credit
/**
 * Decides at apply time: an order over the customer's credit left is refused. The state stays as it was, the
 * caller's token ends `LTY_REJECTED`, and `OrderRefused` is announced on the order topic (the order's reducer
 * marks it REJECTED, the legacy service drops it).
 */
export const CreditEntity = defineEntity<Credit>('credit').on(CreditReserved, (credit, e, ctx) => {
  const { customerId, orderId, totalCents } = e.payload;
  const limitCents = creditLimitsCents[customerId] ?? 0;
  const usedCents = credit?.usedCents ?? 0;
  if (usedCents + totalCents > limitCents) {
    return ctx.reject(
      CREDIT_LIMIT_EXCEEDED,
      OrderRefused.of({ orderId, customerId, reason: CREDIT_LIMIT_EXCEEDED }),
    );
  }
  return {
    customerId,
    limitCents,
    usedCents: usedCents + totalCents,
    orderIds: [...(credit?.orderIds ?? []), orderId],
  };
});
// #endregion credit
