import type { DomainEvent, Envelope } from '@orderflow/contracts';
import { causedBy } from '@orderflow/runtime';
import type { Carrier, ShipmentRepository } from './ports';

/** Shipping's part of the saga: it reacts to the order's own decisions, never to other services. */
export interface OrderReactions {
  onOrderPaymentCaptured(event: Envelope<DomainEvent<'OrderPaymentCaptured'>>): Promise<void>;
  onOrderCancelled(event: Envelope<DomainEvent<'OrderCancelled'>>): Promise<void>;
}

export const orderReactions = (
  shipments: ShipmentRepository,
  carrier: Carrier,
): OrderReactions => ({
  onOrderPaymentCaptured: async (event) => {
    const { orderId, shippingAddress, lines } = event.data;
    // A shipment that exists was dispatched, refused or cancelled: the carrier is not asked again.
    const { state } = await shipments.load(orderId);
    if (state.status !== 'NONE') return;
    // Keyed by the order: if this process dies before the append, the retry gets the same parcel.
    const outcome = await carrier.dispatch({
      idempotencyKey: `dispatch/${orderId}`,
      orderId,
      address: shippingAddress,
      lines,
    });
    await shipments.handle(
      orderId,
      { type: 'RecordDispatch', orderId, outcome },
      causedBy(event, new Date()),
    );
  },
  onOrderCancelled: async (event) => {
    const { orderId } = event.data;
    await shipments.handle(orderId, { type: 'Cancel', orderId }, causedBy(event, new Date()));
  },
});
