import { aggregateFilter, streams, type Money } from '@orderflow/contracts';
import type { ProjectionSpec } from '@orderflow/runtime';

export const CATALOG = 'catalog';

/** Inventory's products as far as ordering needs them: what they cost. */
export interface CatalogDocument {
  readonly _id: string;
  readonly name: string;
  readonly price: Money;
}

export const catalogProjection: ProjectionSpec = {
  name: CATALOG,
  version: 1,
  stream: streams.inventory.name,
  filterSubject: aggregateFilter('inventory', 'product'),
  collections: [{ name: CATALOG }],
  project: (event) =>
    event.type === 'ProductUpserted'
      ? [
          {
            collection: CATALOG,
            id: event.data.sku,
            set: { name: event.data.name, price: event.data.price },
          },
        ]
      : [],
};
