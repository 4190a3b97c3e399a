import { SagaHistory, type Line } from './saga-history';

export const HOUR = 3_600_000;
export const lines: readonly Line[] = [
  { sku: 'KB', quantity: 2 },
  { sku: 'MS', quantity: 1 },
];

export const stocked = (start?: number) =>
  new SagaHistory(start).product('KB', 10).product('MS', 5);

/** The saga's outcomes (docs/saga.md), each as the services write it. */
export const outcomes: Record<string, (h: SagaHistory) => SagaHistory> = {
  'a completed order': (h) =>
    h.place('done', lines).reserve('done').capture('done').ship('done').deliver('done'),
  'a declined payment': (h) => {
    h.place('declined', lines).reserve('declined');
    h.add('PaymentFailed', 'declined', {
      orderId: 'declined',
      amount: { amount: 3000, currency: 'USD' },
      method: 'visa',
      reason: 'DECLINED',
      detail: 'card declined',
    });
    h.cancel('declined', 'PAYMENT_DECLINED').release('declined');
    h.add('PaymentCancelled', 'declined', { orderId: 'declined' });
    h.add('ShipmentCancelled', 'declined', { orderId: 'declined' });
    return h;
  },
  'a customer cancelling after capture': (h) => {
    h.place('regret', lines).reserve('regret').capture('regret');
    h.cancel('regret', 'CUSTOMER_CANCELLED').release('regret').refund('regret');
    h.add('ShipmentCancelled', 'regret', { orderId: 'regret' });
    return h;
  },
  'a timed-out order whose capture came late and was refunded': (h) =>
    h
      .place('late', lines)
      .reserve('late')
      .wait(30_000)
      .cancel('late', 'TIMED_OUT')
      .release('late')
      .charge('late')
      .refund('late'),
  'an order out of stock after a partial hold': (h) => {
    h.place('short', [
      { sku: 'KB', quantity: 1 },
      { sku: 'MS', quantity: 6 },
    ]);
    h.add('StockReserved', 'KB', { sku: 'KB', orderId: 'short', quantity: 1 });
    h.add('InventoryFailed', 'short', {
      orderId: 'short',
      reason: 'OUT_OF_STOCK',
      sku: 'MS',
      requested: 6,
      available: 5,
    });
    h.add('StockReleased', 'KB', { sku: 'KB', orderId: 'short', quantity: 1 });
    return h.cancel('short', 'OUT_OF_STOCK');
  },
};
