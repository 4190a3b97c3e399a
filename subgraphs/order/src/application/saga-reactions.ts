import type { Envelope } from '@orderflow/contracts';
import { causedBy } from '@orderflow/runtime';
import type { SagaAnswer } from '../domain/order';
import type { OrderRepository } from './ports';

/** What another service's event tells the order; undefined for events the order does not wait for. */
export const answerOf = (event: Envelope): SagaAnswer | undefined => {
  switch (event.type) {
    case 'InventoryReserved':
      return { type: 'ConfirmInventory', orderId: event.data.orderId };
    case 'InventoryFailed': {
      const { orderId, sku, requested, available } = event.data;
      return {
        type: 'RejectInventory',
        orderId,
        detail: `${sku}: requested ${requested}, available ${available}`,
      };
    }
    case 'PaymentCaptured':
      return {
        type: 'ConfirmPayment',
        orderId: event.data.orderId,
        paymentId: event.data.paymentId,
      };
    case 'PaymentFailed':
      return { type: 'RejectPayment', orderId: event.data.orderId, detail: event.data.detail };
    case 'ShipmentDispatched': {
      const { orderId, trackingNumber } = event.data;
      return { type: 'ConfirmDispatch', orderId, trackingNumber };
    }
    case 'ShipmentDelivered':
      return { type: 'ConfirmDelivery', orderId: event.data.orderId };
    case 'ShipmentFailed':
      return { type: 'RejectShipment', orderId: event.data.orderId, detail: event.data.detail };
    default:
      return undefined;
  }
};

/** The order's side of the saga: each answer is decided against the order as it is now. */
export const reactToSaga =
  (orders: OrderRepository) =>
  async (event: Envelope): Promise<void> => {
    const answer = answerOf(event);
    if (answer) await orders.handle(answer.orderId, answer, causedBy(event, new Date()));
  };
