import type { RequestContext } from '@orderflow/runtime';
import type { ProductRepository } from '../../application/repositories';
import type { ProductsReadModel } from '../read-models/products-read-model';
import { createLoaders, type Loaders } from './loaders';

export interface InventoryContext extends RequestContext {
  /** Writes go through the aggregate, so a mutation answers with what it just wrote. */
  readonly products: ProductRepository;
  readonly readModel: ProductsReadModel;
  readonly loaders: Loaders;
}

export const inventoryContext =
  (products: ProductRepository, readModel: ProductsReadModel) =>
  (base: RequestContext): InventoryContext => ({
    ...base,
    products,
    readModel,
    loaders: createLoaders(readModel),
  });
