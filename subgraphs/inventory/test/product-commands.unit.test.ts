import { subjectOf } from '@orderflow/contracts';
import type { Viewer } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { restock, upsertProduct } from '../src/application/product-commands';
import { createRepositories } from '../src/application/repositories';

const viewer = (customerId: string, admin: boolean): Viewer => ({ customerId, admin, token: '' });
const customer = viewer('alice', false);
const admin = viewer('ops', true);
const keyboard = { sku: 'KB-001', name: 'Keyboard', price: { amount: 8900, currency: 'USD' } };

describe('catalog writes', () => {
  let store: MemoryEventStore;
  let products: ReturnType<typeof createRepositories>['products'];

  beforeEach(() => {
    store = new MemoryEventStore();
    products = createRepositories(store).products;
  });

  const written = () => store.events(subjectOf('ProductUpserted', keyboard.sku)).length;

  it('let an admin create and restock a product', async () => {
    await upsertProduct(products, admin, keyboard, 'request-1');
    const stocked = await restock(products, admin, keyboard.sku, 5, 'request-2');

    expect(stocked).toMatchObject({ exists: true, available: 5 });
  });

  it('refuse a customer upsertProduct with FORBIDDEN, writing nothing', async () => {
    await expect(upsertProduct(products, customer, keyboard, 'request-1')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^upsertProduct needs the admin scope/) as unknown,
    });
    expect(written()).toBe(0);
  });

  it('refuse a customer restock with FORBIDDEN, writing nothing', async () => {
    await upsertProduct(products, admin, keyboard, 'request-1');

    await expect(restock(products, customer, keyboard.sku, 5, 'request-2')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^restock needs the admin scope/) as unknown,
    });
    expect(written()).toBe(1);
  });
});
