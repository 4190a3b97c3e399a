import type { Resolvers } from '@orderflow/runtime';
import { restock, upsertProduct } from '../../application/product-commands';
import type { ProductState } from '../../domain/product';
import type { ProductView } from '../read-models/products-read-model';
import type { InventoryContext } from './context';
import { decodeCursor, productConnection } from './cursor';
import { PageArgs, parseArgs, ProductArgs, ProductInputArgs, RestockArgs } from './inputs';

/** A product just written always exists: upsert creates it, and restock refuses a missing one. */
const written = (state: ProductState): ProductView => {
  if (!state.exists) throw new Error('a product that was just written does not exist');
  const { sku, name, price, available, reserved } = state;
  return { sku, name, price, available, reserved };
};

export const resolvers: Resolvers<InventoryContext> = {
  Query: {
    product: (_: unknown, args: unknown, { loaders }: InventoryContext) =>
      loaders.product.load(parseArgs(ProductArgs, args).sku),
    products: async (_: unknown, args: unknown, { readModel }: InventoryContext) => {
      const { first, after } = parseArgs(PageArgs, args);
      const fetched = await readModel.list(
        typeof after === 'string' ? decodeCursor(after) : undefined,
        first + 1,
      );
      return productConnection(fetched, first);
    },
  },
  Mutation: {
    upsertProduct: async (
      _: unknown,
      args: unknown,
      { products, viewer, requestId }: InventoryContext,
    ) => {
      const { input } = parseArgs(ProductInputArgs, args);
      return written(await upsertProduct(products, viewer, input, requestId));
    },
    restock: async (
      _: unknown,
      args: unknown,
      { products, viewer, requestId }: InventoryContext,
    ) => {
      const { sku, quantity } = parseArgs(RestockArgs, args);
      return written(await restock(products, viewer, sku, quantity, requestId));
    },
  },
  Product: {
    __resolveReference: (reference: { sku: string }, { loaders }: InventoryContext) =>
      loaders.product.load(reference.sku),
  },
};
