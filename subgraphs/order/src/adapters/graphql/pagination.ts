import { DomainError } from '@orderflow/contracts';
import { z } from 'zod';
import type { OrderPage } from '../../application/order-queries';
import type { OrderPosition } from '../../application/ports';
import { toGraphQLOrder } from './order-mapper';

const Cursor = z.tuple([z.string(), z.string()]);

/** Opaque to clients: base64url of the JSON `[createdAt, id]` of the page's last order. */
export const encodeCursor = ({ createdAt, id }: OrderPosition): string =>
  Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

export const decodeCursor = (cursor: string): OrderPosition => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const position = Cursor.safeParse(parsed);
  if (!position.success) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `after "${cursor}" is not a cursor of this list; pass the endCursor of the previous page`,
    );
  }
  const [createdAt, id] = position.data;
  return { createdAt, id };
};

export const toConnection = ({ orders, hasNextPage }: OrderPage) => {
  const edges = orders.map((order) => ({
    cursor: encodeCursor(order),
    node: toGraphQLOrder(order),
  }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
};
