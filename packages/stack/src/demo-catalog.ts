import { graphqlData } from './graphql-client';

/** Products the launcher creates on a fresh system; one is out of stock to show that path. */
export const demoCatalog = [
  { sku: 'KB-001', name: 'Mechanical keyboard', price: 8900, stock: 50 },
  { sku: 'MS-002', name: 'Wireless mouse', price: 2900, stock: 120 },
  { sku: 'MN-003', name: '27" monitor', price: 24900, stock: 15 },
  { sku: 'HD-004', name: 'Noise-cancelling headphones', price: 19900, stock: 30 },
  { sku: 'CB-005', name: 'USB-C cable', price: 900, stock: 500 },
  { sku: 'WC-006', name: '4K webcam', price: 12900, stock: 0 },
] as const;

const productQuery = `query ($sku: ID!) { product(sku: $sku) { sku } }`;
const upsert = `mutation ($input: ProductInput!) { upsertProduct(input: $input) { sku } }`;
const restock = `mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { sku } }`;

/** Creates the demo products that do not exist yet; existing ones are left as they are. */
export const seedDemoCatalog = async (
  gatewayUrl: string,
  headers: Record<string, string> = {},
): Promise<number> => {
  let created = 0;
  for (const product of demoCatalog) {
    const existing = await graphqlData<{ product: unknown }>(
      gatewayUrl,
      productQuery,
      product,
      headers,
    );
    if (existing.product) continue;
    const input = {
      sku: product.sku,
      name: product.name,
      price: { amount: product.price, currency: 'USD' },
    };
    await graphqlData(gatewayUrl, upsert, { input }, headers);
    if (product.stock > 0) {
      await graphqlData(
        gatewayUrl,
        restock,
        { sku: product.sku, quantity: product.stock },
        headers,
      );
    }
    created++;
  }
  return created;
};
