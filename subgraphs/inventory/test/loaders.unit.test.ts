import { createLoaders } from '../src/adapters/graphql/loaders';
import type {
  ProductsReadModel,
  ProductView,
} from '../src/adapters/read-models/products-read-model';

const view = (sku: string): ProductView => ({
  sku,
  name: sku,
  price: { amount: 100, currency: 'USD' },
  available: 1,
  reserved: 0,
});

describe('the product loader', () => {
  it('answers N references with one read, in the order asked, null for unknown SKUs', async () => {
    const findBySkus = jest.fn(async (skus: readonly string[]) =>
      skus.filter((sku) => sku !== 'NOPE').map(view),
    );
    const readModel: ProductsReadModel = { findBySkus, list: jest.fn() };
    const { product } = createLoaders(readModel);

    const found = await Promise.all(['B', 'NOPE', 'A', 'B'].map((sku) => product.load(sku)));

    expect(found).toEqual([view('B'), null, view('A'), view('B')]);
    expect(findBySkus).toHaveBeenCalledTimes(1);
    expect(findBySkus).toHaveBeenCalledWith(['B', 'NOPE', 'A']);
  });
});
