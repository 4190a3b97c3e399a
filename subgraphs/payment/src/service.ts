import { streams } from '@orderflow/contracts';
import { orderOwners, orderOwnersProjection, type ServiceDefinition } from '@orderflow/runtime';
import { paymentContext, type PaymentContext } from './adapters/graphql/context';
import { resolvers } from './adapters/graphql/resolvers';
import { typeDefs } from './adapters/graphql/schema';
import { paymentsProjection } from './adapters/read-models/payments-projection';
import { paymentsReadModel } from './adapters/read-models/payments-read-model';
import { orderEventsConsumer } from './adapters/nats/order-events-consumer';
import { simulatedPaymentProvider, simulatorSettings } from './adapters/provider/simulator';
import { orderReactions } from './application/order-reactions';
import { createPaymentRepository } from './application/payment-repository';

export const paymentService: ServiceDefinition<PaymentContext> = {
  name: 'payment',
  database: 'orderflow_payment',
  stream: streams.payment,
  wire: (infrastructure) => {
    const payments = createPaymentRepository(infrastructure.store(streams.payment));
    const provider = simulatedPaymentProvider(simulatorSettings(infrastructure.env));
    return {
      projections: [paymentsProjection, orderOwnersProjection],
      consumers: [orderEventsConsumer(orderReactions(payments, provider))],
      graph: {
        typeDefs,
        resolvers,
        context: paymentContext(
          paymentsReadModel(infrastructure.documents),
          orderOwners(infrastructure.documents),
        ),
      },
    };
  },
};
