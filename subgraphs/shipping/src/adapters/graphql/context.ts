import type { OrderOwners, RequestContext } from '@orderflow/runtime';
import type { Deliveries } from '../../application/deliveries';
import type { ShipmentsReadModel } from '../read-models/shipments-read-model';
import { createLoaders, type Loaders } from './loaders';

export interface ShippingContext extends RequestContext {
  readonly deliveries: Deliveries;
  readonly loaders: Loaders;
}

export const shippingContext =
  (deliveries: Deliveries, readModel: ShipmentsReadModel, owners: OrderOwners) =>
  (base: RequestContext): ShippingContext => ({
    ...base,
    deliveries,
    loaders: createLoaders(readModel, owners, base.viewer),
  });
