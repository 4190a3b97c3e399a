import { streams } from '@orderflow/contracts';
import type { ServiceDefinition } from '@orderflow/runtime';
import { inventoryContext, type InventoryContext } from './adapters/graphql/context';
import { resolvers } from './adapters/graphql/resolvers';
import { typeDefs } from './adapters/graphql/schema';
import { productsProjection } from './adapters/read-models/products-projection';
import { productsReadModel } from './adapters/read-models/products-read-model';
import { orderEventsConsumer } from './adapters/nats/order-events-consumer';
import { orderPlacementsFromLog } from './adapters/nats/order-placements';
import { createRepositories } from './application/repositories';

export const inventoryService: ServiceDefinition<InventoryContext> = {
  name: 'inventory',
  database: 'orderflow_inventory',
  stream: streams.inventory,
  wire: (infrastructure) => {
    const repositories = createRepositories(infrastructure.store(streams.inventory));
    return {
      projections: [productsProjection],
      consumers: [
        orderEventsConsumer(
          repositories,
          orderPlacementsFromLog(infrastructure.store(streams.order)),
        ),
      ],
      graph: {
        typeDefs,
        resolvers,
        context: inventoryContext(
          repositories.products,
          productsReadModel(infrastructure.documents),
        ),
      },
    };
  },
};
