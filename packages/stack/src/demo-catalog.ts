import { graphqlData } from './graphql-client';
import { bearer } from './tokens';

/** Products the launcher creates on a fresh system; one is out of stock to show that path. */
export const demoCatalog = [
  { sku: 'KB-001', name: 'Mechanical keyboard', price: 8900, stock: 50 },
  { sku: 'MS-002', name: 'Wireless mouse', price: 2900, stock: 120 },
  { sku: 'MN-003', name: '27" monitor', price: 24900, stock: 15 },
  { sku: 'HD-004', name: 'Noise-cancelling headphones', price: 19900, stock: 30 },
  { sku: 'CB-005', name: 'USB-C cable', price: 900, stock: 500 },
  { sku: 'WC-006', name: '4K webcam', price: 12900, stock: 0 },
] as const;

const upsert = `mutation ($input: ProductInput!) {
  upsertProduct(input: $input) { sku available reserved }
}`;
const restock = `mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { sku } }`;

/**
 * Makes sure the demo products exist and stocks those that hold none (a product sold out in an
 * earlier run is stocked again, which keeps the demo usable). Upserting an unchanged product
 * writes nothing, and its answer comes from the event log rather than a read model that may
 * still be rebuilding after a restart, so stock present in the log is never added twice.
 * Catalog writes need an admin token.
 */
export const seedDemoCatalog = async (gatewayUrl: string, adminToken: string): Promise<number> => {
  const headers = bearer(adminToken);
  let stocked = 0;
  for (const product of demoCatalog) {
    const input = {
      sku: product.sku,
      name: product.name,
      price: { amount: product.price, currency: 'USD' },
    };
    const { upsertProduct } = await graphqlData<{
      upsertProduct: { available: number; reserved: number };
    }>(gatewayUrl, upsert, { input }, headers);
    if (product.stock === 0 || upsertProduct.available + upsertProduct.reserved > 0) continue;
    await graphqlData(gatewayUrl, restock, { sku: product.sku, quantity: product.stock }, headers);
    stocked++;
  }
  return stocked;
};
