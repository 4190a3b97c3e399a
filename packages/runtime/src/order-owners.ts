import { aggregateFilter, streams } from '@orderflow/contracts';
import type { Viewer } from '@orderflow/auth';
import type { DocumentStore } from './documents/document-store';
import type { ProjectionSpec } from './projection';

const ORDER_OWNERS = 'order_owners';

/**
 * Who placed each order, from OrderCreated: services that answer about orders they did not
 * place (payment, shipping) check ownership themselves instead of trusting whoever asks.
 */
export const orderOwnersProjection: ProjectionSpec = {
  name: ORDER_OWNERS,
  version: 1,
  stream: streams.order.name,
  filterSubject: aggregateFilter('order', 'order'),
  collections: [{ name: ORDER_OWNERS }],
  project: (event) =>
    event.type === 'OrderCreated'
      ? [
          {
            collection: ORDER_OWNERS,
            id: event.data.orderId,
            set: { customerId: event.data.customerId },
          },
        ]
      : [],
};

export interface OrderOwners {
  /** The customer of each of `orderIds` that this service has seen placed. */
  ownersOf(orderIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export const orderOwners = (documents: DocumentStore): OrderOwners => {
  const owners = documents.collection<{ _id: string; customerId: string }>(ORDER_OWNERS);
  return {
    ownersOf: async (orderIds) =>
      new Map((await owners.getMany(orderIds)).map((owner) => [owner._id, owner.customerId])),
  };
};

/**
 * What `viewer` may see of things about orders: an admin everything, a customer only what is
 * about their own orders (an order this service has not seen placed is nobody's yet).
 */
export const ownedBy = async <T extends { readonly orderId: string }>(
  viewer: Viewer,
  owners: OrderOwners,
  items: readonly T[],
): Promise<T[]> => {
  if (viewer.admin) return [...items];
  const ownerOf = await owners.ownersOf(items.map((item) => item.orderId));
  return items.filter((item) => ownerOf.get(item.orderId) === viewer.customerId);
};
