import { streams } from '@orderflow/contracts';
import {
  AggregateRepository,
  loadConfig,
  orderOwners,
  orderOwnersProjection,
  sharingOneFeed,
  type ServiceDefinition,
} from '@orderflow/runtime';
import { simulatedCarrier } from './adapters/carrier/simulator';
import { shippingContext, type ShippingContext } from './adapters/graphql/context';
import { resolvers } from './adapters/graphql/resolvers';
import { typeDefs } from './adapters/graphql/schema';
import { addressesProjection } from './adapters/read-models/addresses-projection';
import { addressesReadModel } from './adapters/read-models/addresses-read-model';
import { shipmentsProjection } from './adapters/read-models/shipments-projection';
import { shipmentsReadModel } from './adapters/read-models/shipments-read-model';
import { orderEventsConsumer } from './adapters/nats/order-events-consumer';
import { deliveriesPoller } from './adapters/poller/deliveries-poller';
import { shipmentDeliveries } from './application/deliveries';
import { orderReactions } from './application/order-reactions';
import { shipmentDecider } from './domain/shipment';
import { shippingSettings } from './settings';

export const shippingService: ServiceDefinition<ShippingContext> = {
  name: 'shipping',
  database: 'orderflow_shipping',
  stream: streams.shipping,
  wire: (infrastructure) => {
    const settings = loadConfig(shippingSettings, infrastructure.env);
    const { documents } = infrastructure;
    const shipments = new AggregateRepository(
      infrastructure.store(streams.shipping),
      shipmentDecider,
      { context: 'shipping', aggregate: 'shipment' },
    );
    const carrier = simulatedCarrier({ failureRate: settings.SHIPPING_SIMULATOR_FAILURE_RATE });
    const readModel = shipmentsReadModel(documents);
    const deliveries = shipmentDeliveries(shipments, carrier, addressesReadModel(documents));
    return {
      projections: [
        shipmentsProjection,
        sharingOneFeed('shipping-orders', [addressesProjection, orderOwnersProjection]),
      ],
      consumers: [orderEventsConsumer(orderReactions(shipments, carrier))],
      pollers: [
        deliveriesPoller(readModel, deliveries, {
          delayMs: settings.SHIPPING_DELIVERY_DELAY_MS,
          intervalMs: settings.SHIPPING_POLL_INTERVAL_MS,
        }),
      ],
      graph: {
        typeDefs,
        resolvers,
        context: shippingContext(deliveries, readModel, orderOwners(documents)),
      },
    };
  },
};
