import type { Money } from '@orderflow/contracts';
import { requestCause, requireAdmin, type Viewer } from '@orderflow/runtime';
import type { ProductState } from '../domain/product';
import type { ProductRepository } from './repositories';

export interface ProductInput {
  readonly sku: string;
  readonly name: string;
  readonly price: Money;
}

/**
 * Catalog writes are for admins; anyone signed in reads the catalog. Both return the state just
 * written, so the caller sees its change before the read model does.
 */
export const upsertProduct = async (
  products: ProductRepository,
  viewer: Viewer,
  input: ProductInput,
  requestId: string,
): Promise<ProductState> => {
  requireAdmin(viewer, 'upsertProduct');
  const command = { type: 'UpsertProduct', ...input } as const;
  return (await products.handle(input.sku, command, requestCause(requestId, requestId, new Date())))
    .state;
};

export const restock = async (
  products: ProductRepository,
  viewer: Viewer,
  sku: string,
  quantity: number,
  requestId: string,
): Promise<ProductState> => {
  requireAdmin(viewer, 'restock');
  const command = { type: 'AdjustStock', sku, quantity, reason: 'RESTOCK' } as const;
  return (await products.handle(sku, command, requestCause(requestId, requestId, new Date())))
    .state;
};
