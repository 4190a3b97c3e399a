import { getIntrospectionQuery } from 'graphql';
import { maxCostRule } from '../../src/limits/cost';
import { refusals } from './api-schema';

/** The cost found, read back from the refusal of a limit of 0. */
const costOf = (query: string, variables: Record<string, unknown> = {}) => {
  const [refusal] = refusals(query, [maxCostRule(0, variables)]);
  return refusal?.extensions.cost;
};

const productPage = 'products(first: 5) { edges { node { name } } }';

describe('the cost limit', () => {
  it('costs each field 1', () => {
    expect(costOf('{ product(sku: "A") { name price { amount } } }')).toBe(4);
  });

  it('multiplies what a `first` field selects by `first`, not again by the page it returns', () => {
    // products + 5 x (edges + node + name)
    expect(costOf(`{ ${productPage} }`)).toBe(16);
  });

  it("takes `first` from the variables, else the variable's default, else the argument's", () => {
    const query = 'query ($n: Int) { products(first: $n) { edges { node { name } } } }';
    expect(costOf(query, { n: 2 })).toBe(7);
    expect(costOf(query.replace('$n: Int', '$n: Int = 3'))).toBe(10);
    expect(costOf(query)).toBe(61);
  });

  it('multiplies any other list by 20', () => {
    // order + lines + 20 x sku
    expect(costOf('{ order(id: "1") { lines { sku } } }')).toBe(22);
  });

  it('costs fragments as if written out', () => {
    const spread = `
      { order(id: "1") { ...Lines } }
      fragment Lines on Order { ... on Order { lines { sku } } }
    `;
    expect(costOf(spread)).toBe(22);
  });

  it('refuses an operation over the limit with QUERY_TOO_COSTLY, the cost, the limit and the remedy', () => {
    // orders + 100 x (edges + node + lines (1 + 20 x (product + name)) + history (1 + 20 x status))
    const query = `{ orders(first: 100) { edges { node {
      lines { product { name } } history { status }
    } } } }`;
    expect(refusals(query, [maxCostRule(5000)])).toEqual([
      {
        message:
          'the operation costs 6401, more than the limit of 5000; ask for fewer items with `first` or fewer nested lists',
        extensions: { code: 'QUERY_TOO_COSTLY', cost: 6401, limit: 5000 },
      },
    ]);
    expect(refusals(query.replace('100', '50'), [maxCostRule(5000)])).toEqual([]);
  });

  it("does not multiply introspection's lists, which are the schema's own", () => {
    expect(costOf(getIntrospectionQuery())).toBeLessThan(500);
  });

  it('costs fragments that spread each other many times over without expanding them', () => {
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }`,
    );
    fragments.push('fragment F40 on Product { sku }');
    expect(costOf(`{ product(sku: "A") { ...F0 } } ${fragments.join(' ')}`)).toBe(2 ** 40 + 1);
  });
});
