import { defineEntity } from '@listen-to-yourself/core';
import { OrderCancelled, OrderCreated, OrderRefused, OrderRejected, type Order } from './domain';

// #region handlers
/**
 * The order entity: its state type and the reducers of the events that change it, declared once. The
 * self-subscriber applies each event to its order once, in the order the events were produced.
 */
export const OrderEntity = defineEntity<Order>('order')
  .on(OrderCreated, (order, e) => order ?? { ...e.payload, status: 'CONFIRMED', history: ['CONFIRMED'] })
  .on(OrderRejected, (order, e) => {
    if (!order) {
      return {
        orderId: e.payload.orderId,
        items: [],
        totalCents: 0,
        status: 'REJECTED',
        history: ['REJECTED'],
      };
    }
    if (order.status === 'CANCELLED') return { ...order, note: `legacy refused: ${e.payload.reason}` };
    return {
      ...order,
      status: 'REJECTED',
      history: [...order.history, 'REJECTED'],
      note: e.payload.reason,
    };
  })
  // Refused on apply by the customer's credit (credit.ts): the order will not be fulfilled.
  .on(OrderRefused, (order, e) =>
    order?.status === 'CANCELLED'
      ? { ...order, note: `refused: ${e.payload.reason}` }
      : {
          orderId: e.payload.orderId,
          customerId: e.payload.customerId,
          items: order?.items ?? [],
          totalCents: order?.totalCents ?? 0,
          status: 'REJECTED',
          history: [...(order?.history ?? []), 'REJECTED'],
          note: e.payload.reason,
        },
  )
  .on(OrderCancelled, (order, e) => {
    if (!order) {
      return {
        orderId: e.payload.orderId,
        items: [],
        totalCents: 0,
        status: 'CANCELLED',
        history: ['CANCELLED'],
      };
    }
    if (order.status !== 'CONFIRMED') return { ...order, note: `cancel ignored: order is ${order.status}` };
    return {
      ...order,
      status: 'CANCELLED',
      history: [...order.history, 'CANCELLED'],
      note: e.payload.reason,
    };
  });
// #endregion handlers
