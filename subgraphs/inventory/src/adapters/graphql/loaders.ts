import DataLoader from 'dataloader';
import type { ProductsReadModel, ProductView } from '../read-models/products-read-model';

/** Per request: a query that references N products reads them in one round trip. */
export interface Loaders {
  readonly product: DataLoader<string, ProductView | null>;
}

export const createLoaders = (readModel: ProductsReadModel): Loaders => ({
  product: new DataLoader(async (skus) => {
    const found = new Map((await readModel.findBySkus(skus)).map((p) => [p.sku, p]));
    return skus.map((sku) => found.get(sku) ?? null);
  }),
});
