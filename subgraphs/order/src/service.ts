import { streams } from '@orderflow/contracts';
import { AggregateRepository, type ServiceDefinition } from '@orderflow/runtime';
import { inventoryReactions } from './application/inventory-reactions';
import { orderCommands } from './application/order-commands';
import { orderQueries } from './application/order-queries';
import { orderContext, type OrderContext } from './adapters/graphql/context';
import { resolvers } from './adapters/graphql/resolvers';
import { typeDefs } from './adapters/graphql/schema';
import { catalogProjection } from './adapters/mongo/catalog-projection';
import { mongoOrderReadModel } from './adapters/mongo/order-read-model';
import { ordersProjection } from './adapters/mongo/orders-projection';
import { mongoPriceCatalog } from './adapters/mongo/price-catalog';
import { inventoryConsumer } from './adapters/nats/inventory-consumer';
import { orderDecider } from './domain/order';

export const orderService: ServiceDefinition<OrderContext> = {
  name: 'order',
  database: 'orderflow_order',
  streams: [streams.order, streams.inventory],
  wire: (infrastructure) => {
    const { db } = infrastructure;
    const repository = new AggregateRepository(infrastructure.store(streams.order), orderDecider, {
      context: 'order',
      aggregate: 'order',
    });
    const orders = {
      ...orderCommands(repository, mongoPriceCatalog(db)),
      ...orderQueries(repository, mongoOrderReadModel(db)),
    };
    return {
      projections: [catalogProjection, ordersProjection],
      consumers: [inventoryConsumer(inventoryReactions(repository))],
      graph: { typeDefs, resolvers, context: orderContext(orders) },
    };
  },
};
