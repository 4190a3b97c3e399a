import type { Db } from 'mongodb';
import type { PriceCatalog } from '../../application/ports';
import { CATALOG, type CatalogDocument } from './catalog-projection';

export const mongoPriceCatalog = (db: Db): PriceCatalog => ({
  pricesOf: async (skus) => {
    const products = await db
      .collection<CatalogDocument>(CATALOG)
      .find({ _id: { $in: [...skus] } })
      .toArray();
    return Object.fromEntries(products.map((product) => [product._id, product.price]));
  },
});
