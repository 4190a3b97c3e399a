import type { Decider, DomainEvent, Money } from '@orderflow/contracts';

/** What the provider answered to a capture; the application asks, the payment records. */
export type CaptureOutcome =
  | { readonly kind: 'captured'; readonly paymentId: string }
  | { readonly kind: 'declined'; readonly detail: string };

export type PaymentCommand =
  | {
      readonly type: 'RecordCapture';
      readonly orderId: string;
      readonly amount: Money;
      readonly method: string;
      readonly outcome: CaptureOutcome;
    }
  | { readonly type: 'Cancel'; readonly orderId: string }
  | { readonly type: 'RecordRefund'; readonly orderId: string; readonly refundId: string };

export type PaymentEvent = DomainEvent<
  'PaymentCaptured' | 'PaymentFailed' | 'PaymentCancelled' | 'PaymentRefunded'
>;

/**
 * One payment per order. Each status carries what its event told: a payment cancelled before
 * any charge never learned an amount, and a refund is known by the capture it gave back.
 */
export type PaymentState =
  | { readonly status: 'NONE' }
  | { readonly status: 'CANCELLED' }
  | {
      readonly status: 'FAILED';
      readonly amount: Money;
      readonly method: string;
      readonly detail: string;
    }
  | {
      readonly status: 'CAPTURED';
      readonly amount: Money;
      readonly method: string;
      readonly paymentId: string;
    }
  | {
      readonly status: 'REFUNDED';
      readonly amount: Money;
      readonly paymentId: string;
      readonly refundId: string;
    };

export type PaymentStatus = PaymentState['status'];

const decide = (command: PaymentCommand, state: PaymentState): PaymentEvent[] => {
  switch (command.type) {
    case 'RecordCapture': {
      // Only the first outcome counts; after a cancel, a capture must not be recorded at all.
      if (state.status !== 'NONE') return [];
      const { orderId, amount, method, outcome } = command;
      return outcome.kind === 'captured'
        ? [
            {
              type: 'PaymentCaptured',
              data: { orderId, paymentId: outcome.paymentId, amount, method },
            },
          ]
        : [
            {
              type: 'PaymentFailed',
              data: { orderId, amount, method, reason: 'DECLINED', detail: outcome.detail },
            },
          ];
    }
    case 'Cancel':
      // Closes the door on a late capture; anything already decided is compensated elsewhere.
      return state.status === 'NONE'
        ? [{ type: 'PaymentCancelled', data: { orderId: command.orderId } }]
        : [];
    case 'RecordRefund': {
      if (state.status !== 'CAPTURED') return [];
      const { orderId, refundId } = command;
      const { paymentId, amount } = state;
      return [{ type: 'PaymentRefunded', data: { orderId, paymentId, amount, refundId } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled payment command ${JSON.stringify(unhandled)}`);
    }
  }
};

const evolve = (_state: PaymentState, event: PaymentEvent): PaymentState => {
  switch (event.type) {
    case 'PaymentCaptured': {
      const { amount, method, paymentId } = event.data;
      return { status: 'CAPTURED', amount, method, paymentId };
    }
    case 'PaymentFailed': {
      const { amount, method, detail } = event.data;
      return { status: 'FAILED', amount, method, detail };
    }
    case 'PaymentCancelled':
      return { status: 'CANCELLED' };
    case 'PaymentRefunded': {
      const { amount, paymentId, refundId } = event.data;
      return { status: 'REFUNDED', amount, paymentId, refundId };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled payment event ${JSON.stringify(unhandled)}`);
    }
  }
};

export const paymentDecider: Decider<PaymentCommand, PaymentState, PaymentEvent> = {
  decide,
  evolve,
  initialState: (): PaymentState => ({ status: 'NONE' }),
};
