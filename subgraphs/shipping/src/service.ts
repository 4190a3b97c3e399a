import { streams } from '@orderflow/contracts';
import { AggregateRepository, loadConfig, type ServiceDefinition } from '@orderflow/runtime';
import { simulatedCarrier } from './adapters/carrier/simulator';
import { shippingContext, type ShippingContext } from './adapters/graphql/context';
import { resolvers } from './adapters/graphql/resolvers';
import { typeDefs } from './adapters/graphql/schema';
import { addressesProjection } from './adapters/mongo/addresses-projection';
import { addressesReadModel } from './adapters/mongo/addresses-read-model';
import { shipmentsProjection } from './adapters/mongo/shipments-projection';
import { shipmentsReadModel } from './adapters/mongo/shipments-read-model';
import { orderEventsConsumer } from './adapters/nats/order-events-consumer';
import { deliveriesPoller } from './adapters/poller/deliveries-poller';
import { shipmentDeliveries } from './application/deliveries';
import { orderReactions } from './application/order-reactions';
import { shipmentDecider } from './domain/shipment';
import { shippingSettings } from './settings';

export const shippingService: ServiceDefinition<ShippingContext> = {
  name: 'shipping',
  database: 'orderflow_shipping',
  streams: [streams.shipping, streams.order],
  wire: (infrastructure) => {
    const settings = loadConfig(shippingSettings, infrastructure.env);
    const { db } = infrastructure;
    const shipments = new AggregateRepository(
      infrastructure.store(streams.shipping),
      shipmentDecider,
      { context: 'shipping', aggregate: 'shipment' },
    );
    const carrier = simulatedCarrier({ failureRate: settings.SHIPPING_SIMULATOR_FAILURE_RATE });
    const readModel = shipmentsReadModel(db);
    const deliveries = shipmentDeliveries(shipments, carrier, addressesReadModel(db));
    return {
      projections: [shipmentsProjection, addressesProjection],
      consumers: [orderEventsConsumer(orderReactions(shipments, carrier))],
      pollers: [
        deliveriesPoller(readModel, deliveries, {
          delayMs: settings.SHIPPING_DELIVERY_DELAY_MS,
          intervalMs: settings.SHIPPING_POLL_INTERVAL_MS,
        }),
      ],
      graph: { typeDefs, resolvers, context: shippingContext(deliveries, readModel) },
    };
  },
};
