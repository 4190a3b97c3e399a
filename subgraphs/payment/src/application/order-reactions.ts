import type { DomainEvent, Envelope } from '@orderflow/contracts';
import { causedBy } from '@orderflow/runtime';
import type { PaymentProvider } from './payment-provider';
import type { PaymentRepository } from './payment-repository';

/** Payment's part of the saga: it acts on the order's own decisions (docs/saga.md). */
export interface OrderReactions {
  onOrderInventoryReserved(event: Envelope<DomainEvent<'OrderInventoryReserved'>>): Promise<void>;
  onOrderCancelled(event: Envelope<DomainEvent<'OrderCancelled'>>): Promise<void>;
}

const captureKey = (orderId: string) => `capture/${orderId}`;
const refundKey = (orderId: string) => `refund/${orderId}`;

export const orderReactions = (
  payments: PaymentRepository,
  provider: PaymentProvider,
): OrderReactions => ({
  onOrderInventoryReserved: async (event) => {
    const { orderId, amount, paymentMethod: method } = event.data;
    const { state } = await payments.load(orderId);
    // Decided already (a redelivery), or cancelled first: the provider is not asked again.
    if (state.status !== 'NONE') return;
    const outcome = await provider.capture({ idempotencyKey: captureKey(orderId), amount, method });
    const recorded = await payments.handle(
      orderId,
      { type: 'RecordCapture', orderId, amount, method, outcome },
      causedBy(event, new Date()),
    );
    if (outcome.kind === 'captured' && recorded.state.status === 'CANCELLED') {
      // Another replica cancelled while the provider was charging: the log will never show this
      // charge, so it is given back at once.
      const { paymentId } = outcome;
      await provider.refund({ idempotencyKey: refundKey(orderId), paymentId, amount });
    }
  },

  onOrderCancelled: async (event) => {
    const { orderId } = event.data;
    const cause = causedBy(event, new Date());
    // Cancel first: from NONE it stops a late capture; otherwise it records nothing and returns
    // the state to compensate. A capture appended meanwhile makes it reload and see CAPTURED.
    const { state } = await payments.handle(orderId, { type: 'Cancel', orderId }, cause);
    if (state.status !== 'CAPTURED') return;
    const { paymentId, amount } = state;
    const { refundId } = await provider.refund({
      idempotencyKey: refundKey(orderId),
      paymentId,
      amount,
    });
    await payments.handle(orderId, { type: 'RecordRefund', orderId, refundId }, cause);
  },
});
