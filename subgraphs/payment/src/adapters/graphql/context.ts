import type { OrderOwners, RequestContext } from '@orderflow/runtime';
import type { PaymentsReadModel } from '../read-models/payments-read-model';
import { createLoaders, type Loaders } from './loaders';

export interface PaymentContext extends RequestContext {
  readonly loaders: Loaders;
}

export const paymentContext =
  (readModel: PaymentsReadModel, owners: OrderOwners) =>
  (base: RequestContext): PaymentContext => ({
    ...base,
    loaders: createLoaders(readModel, owners, base.viewer),
  });
