import { streams } from '@orderflow/contracts';
import { AggregateRepository, loadConfig, type ServiceDefinition } from '@orderflow/runtime';
import { z } from 'zod';
import { deadlinePoller } from './application/deadlines';
import { watchOrderStatus } from './application/order-subscriptions';
import { reactToSaga } from './application/saga-reactions';
import { answersOnLog } from './adapters/nats/answers-on-log';
import { deadLettersOnBus } from './adapters/nats/dead-letters';
import { deadLetterAdmin } from './application/dead-letter-admin';
import { followOrders } from './adapters/nats/order-feed';
import { orderCommands } from './application/order-commands';
import { orderQueries } from './application/order-queries';
import { orderContext, type OrderContext } from './adapters/graphql/context';
import { resolvers } from './adapters/graphql/resolvers';
import { typeDefs } from './adapters/graphql/schema';
import { catalogProjection } from './adapters/read-models/catalog-projection';
import { orderReadModel } from './adapters/read-models/order-read-model';
import { ordersProjection } from './adapters/read-models/orders-projection';
import { priceCatalog } from './adapters/read-models/price-catalog';
import { countSagaOutcomes } from './adapters/metrics/saga-outcomes';
import { sagaConsumers } from './adapters/nats/saga-consumers';
import { orderDecider } from './domain/order';

const milliseconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** How long an order waits for each step before the saga gives up and compensates. */
const OrderSettings = z.object({
  ORDER_DEADLINE_INVENTORY_MS: milliseconds(30_000),
  ORDER_DEADLINE_PAYMENT_MS: milliseconds(30_000),
  ORDER_DEADLINE_SHIPPING_MS: milliseconds(60_000),
  ORDER_DEADLINE_DELIVERY_MS: milliseconds(600_000),
  ORDER_DEADLINE_POLL_MS: milliseconds(1_000),
});

export const orderService: ServiceDefinition<OrderContext> = {
  name: 'order',
  database: 'orderflow_order',
  stream: streams.order,
  wire: (infrastructure) => {
    const settings = loadConfig(OrderSettings, infrastructure.env);
    const deadlines = {
      CREATED: settings.ORDER_DEADLINE_INVENTORY_MS,
      INVENTORY_RESERVED: settings.ORDER_DEADLINE_PAYMENT_MS,
      PAYMENT_CAPTURED: settings.ORDER_DEADLINE_SHIPPING_MS,
      SHIPPED: settings.ORDER_DEADLINE_DELIVERY_MS,
    };
    const readModel = orderReadModel(infrastructure.documents);
    const repository = new AggregateRepository(infrastructure.store(streams.order), orderDecider, {
      context: 'order',
      aggregate: 'order',
      observe: countSagaOutcomes,
    });
    const react = reactToSaga(repository);
    const orders = {
      ...orderCommands(repository, priceCatalog(infrastructure.documents)),
      ...orderQueries(repository, readModel),
      deadLetters: deadLetterAdmin(deadLettersOnBus(infrastructure.nats)),
      watch: watchOrderStatus(
        repository,
        followOrders(infrastructure.store(streams.order), repository),
      ),
    };
    return {
      projections: [catalogProjection, ordersProjection],
      consumers: sagaConsumers(react),
      pollers: [
        deadlinePoller(repository, readModel, deadlines, settings.ORDER_DEADLINE_POLL_MS, {
          onLog: answersOnLog((stream) => infrastructure.store(stream)),
          react,
        }),
      ],
      graph: { typeDefs, resolvers, context: orderContext(orders) },
    };
  },
};
