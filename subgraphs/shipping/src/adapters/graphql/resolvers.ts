import type { Resolvers } from '@orderflow/runtime';
import type { ShippingContext } from './context';
import { ConfirmDeliveryArgs, parseArgs } from './inputs';
import { writtenShipment } from './written-shipment';

export const resolvers: Resolvers<ShippingContext> = {
  Mutation: {
    confirmDelivery: async (
      _: unknown,
      args: unknown,
      { deliveries, loaders, viewer, requestId }: ShippingContext,
    ) => {
      const { orderId } = parseArgs(ConfirmDeliveryArgs, args);
      const handled = await deliveries.confirmDelivery(orderId, viewer, requestId);
      return writtenShipment(orderId, handled, await loaders.shipment.load(orderId));
    },
  },
  Order: {
    // Any order can be referenced; one that shipping never acted on has no shipment. Through the
    // gateway an Order is reached only via the order subgraph, which shows a viewer only theirs.
    shipment: ({ id }: { id: string }, _: unknown, { loaders }: ShippingContext) =>
      loaders.shipment.load(id),
  },
};
