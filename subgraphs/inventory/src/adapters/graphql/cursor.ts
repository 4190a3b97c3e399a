import { DomainError, Sku } from '@orderflow/contracts';
import type { ProductView } from '../read-models/products-read-model';

/** Opaque to clients, but just the SKU: pages are ranges of the SKU order. */
export const encodeCursor = (sku: string) => Buffer.from(sku, 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): string => {
  const sku = Buffer.from(cursor, 'base64url').toString('utf8');
  // base64url decoding accepts almost anything; only a cursor this API issued round-trips.
  if (!Sku.safeParse(sku).success || encodeCursor(sku) !== cursor) {
    throw new DomainError(
      'BAD_USER_INPUT',
      'after: not a cursor of this API; pass the pageInfo.endCursor of the previous page',
    );
  }
  return sku;
};

/** `fetched` holds up to first + 1 products: the extra one only says that another page exists. */
export const productConnection = (fetched: readonly ProductView[], first: number) => {
  const page = fetched.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node.sku), node })),
    pageInfo: {
      hasNextPage: fetched.length > first,
      endCursor: page.length > 0 ? encodeCursor(page.at(-1)!.sku) : null,
    },
  };
};
