import { aggregateFilter, catalog, streams, type Envelope } from '@orderflow/contracts';
import type { DocumentChange, DocumentUpsert, ProjectionSpec } from '@orderflow/runtime';
import type { ProductEvent } from '../../domain/product';
import { PRODUCTS } from './products-read-model';

const isProductEvent = (event: Envelope): event is Envelope<ProductEvent> => {
  const { context, aggregate } = catalog[event.type];
  return context === 'inventory' && aggregate === 'product';
};

const change = (
  sku: string,
  update: Omit<DocumentUpsert, 'collection' | 'id'>,
): DocumentChange[] => [{ collection: PRODUCTS, id: sku, ...update }];

/** The `products` read model: catalog fields and stock counters, one document per SKU. */
export const productsProjection: ProjectionSpec = {
  name: 'products',
  version: 1,
  stream: streams.inventory.name,
  filterSubject: aggregateFilter('inventory', 'product'),
  collections: [{ name: PRODUCTS }],
  project: (event) => {
    if (!isProductEvent(event)) return [];
    switch (event.type) {
      case 'ProductUpserted': {
        const { sku, name, price } = event.data;
        // A later upsert (a new name or price) must not reset the counters the stock events keep.
        return change(sku, { set: { name, price }, setOnInsert: { available: 0, reserved: 0 } });
      }
      case 'StockAdjusted':
        return change(event.data.sku, { increment: { available: event.data.delta } });
      case 'StockReserved': {
        const { sku, quantity } = event.data;
        return change(sku, { increment: { available: -quantity, reserved: quantity } });
      }
      case 'StockReleased': {
        const { sku, quantity } = event.data;
        return change(sku, { increment: { available: quantity, reserved: -quantity } });
      }
      case 'StockShipped': {
        const { sku, quantity } = event.data;
        return change(sku, { increment: { reserved: -quantity } });
      }
    }
  },
};
