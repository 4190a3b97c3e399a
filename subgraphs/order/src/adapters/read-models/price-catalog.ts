import type { DocumentStore } from '@orderflow/runtime';
import type { PriceCatalog } from '../../application/ports';
import { CATALOG, type CatalogDocument } from './catalog-projection';

export const priceCatalog = (documents: DocumentStore): PriceCatalog => {
  const catalog = documents.collection<CatalogDocument>(CATALOG);
  return {
    pricesOf: async (skus) =>
      Object.fromEntries(
        (await catalog.getMany(skus)).map((product) => [product._id, product.price]),
      ),
  };
};
