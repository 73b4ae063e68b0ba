import type { OrderStatus } from './shops-queries';

/**
 * The store's order status machine (ORDER_TRANSITIONS in libs/contracts store.contract.ts): which
 * statuses each one may move to. The store enforces it (409 otherwise); the console offers only
 * these moves. handed_over and cancelled are final.
 */
export const NEXT_STATUSES: Record<OrderStatus, readonly OrderStatus[]> = {
  created: ['paid', 'cancelled'],
  paid: ['ready', 'cancelled'],
  ready: ['handed_over', 'cancelled'],
  handed_over: [],
  cancelled: [],
};

export const STATUS_LABEL: Record<OrderStatus, string> = {
  created: 'Created',
  paid: 'Paid',
  ready: 'Ready',
  handed_over: 'Handed over',
  cancelled: 'Cancelled',
};

export const STATUS_COLOR: Record<OrderStatus, string> = {
  created: 'blue',
  paid: 'teal',
  ready: 'yellow',
  handed_over: 'green',
  cancelled: 'gray',
};

/** The button that moves an order to a status. */
export const MOVE_LABEL: Record<OrderStatus, string> = {
  created: 'Reopen',
  paid: 'Mark paid',
  ready: 'Mark ready',
  handed_over: 'Hand over',
  cancelled: 'Cancel order',
};

export const ORDER_STATUS_OPTIONS = (Object.keys(STATUS_LABEL) as OrderStatus[]).map((value) => ({ value, label: STATUS_LABEL[value] }));
