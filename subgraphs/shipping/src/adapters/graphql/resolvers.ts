import type { Resolvers } from '@orderflow/runtime';
import type { ShippingContext } from './context';
import { ConfirmDeliveryArgs, parseArgs } from './inputs';
import { writtenShipment } from './written-shipment';

export const resolvers: Resolvers<ShippingContext> = {
  Mutation: {
    confirmDelivery: async (
      _: unknown,
      args: unknown,
      { deliveries, loaders, requestId }: ShippingContext,
    ) => {
      const { orderId } = parseArgs(ConfirmDeliveryArgs, args);
      const handled = await deliveries.confirmDelivery(orderId, requestId);
      return writtenShipment(orderId, handled, await loaders.shipment.load(orderId));
    },
  },
  Order: {
    // Any order can be referenced; one that shipping never acted on has no shipment.
    shipment: ({ id }: { id: string }, _: unknown, { loaders }: ShippingContext) =>
      loaders.shipment.load(id),
  },
};
