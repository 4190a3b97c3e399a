import type { Resolvers } from '@orderflow/runtime';
import type { PaymentContext } from './context';

interface OrderReference {
  readonly id: string;
}

/**
 * The order itself belongs to the order subgraph; payment only adds its field to it. Through the
 * gateway an Order is reached only via the order subgraph, which shows a viewer only theirs.
 */
export const resolvers: Resolvers<PaymentContext> = {
  Order: {
    __resolveReference: ({ id }: OrderReference): OrderReference => ({ id }),
    payment: ({ id }: OrderReference, _: unknown, { loaders }: PaymentContext) =>
      loaders.paymentByOrderId.load(id),
  },
};
