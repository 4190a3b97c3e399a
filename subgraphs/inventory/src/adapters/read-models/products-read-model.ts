import type { Money } from '@orderflow/contracts';
import type { DocumentStore } from '@orderflow/runtime';

export const PRODUCTS = 'products';

/** A product as the read model stores it: `_id` is the SKU. */
interface ProductDocument {
  readonly _id: string;
  readonly name: string;
  readonly price: Money;
  readonly available: number;
  readonly reserved: number;
}

/** A product as the API shows it. */
export interface ProductView {
  readonly sku: string;
  readonly name: string;
  readonly price: Money;
  readonly available: number;
  readonly reserved: number;
}

export interface ProductsReadModel {
  /** The products among `skus` that exist, in no particular order; one query for all of them. */
  findBySkus(skus: readonly string[]): Promise<ProductView[]>;
  /** Up to `limit` products in SKU order, starting after the SKU `after`. */
  list(after: string | undefined, limit: number): Promise<ProductView[]>;
}

const toView = ({ _id, name, price, available, reserved }: ProductDocument): ProductView => ({
  sku: _id,
  name,
  price,
  available,
  reserved,
});

export const productsReadModel = (documents: DocumentStore): ProductsReadModel => {
  const products = documents.collection<ProductDocument>(PRODUCTS);
  return {
    findBySkus: async (skus) => (await products.getMany(skus)).map(toView),
    list: async (after, limit) =>
      (
        await products.find({
          ...(after === undefined ? {} : { where: { _id: { gt: after } } }),
          orderBy: { _id: 'asc' },
          limit,
        })
      ).map(toView),
  };
};
