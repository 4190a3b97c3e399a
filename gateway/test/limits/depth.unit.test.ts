import { specifiedRules } from 'graphql';
import { maxDepthRule } from '../../src/limits/depth';
import { refusals } from './api-schema';

const depth = (query: string, limit = 3) => refusals(query, [maxDepthRule(limit)]);

describe('the depth limit', () => {
  it('admits an operation as deep as the limit', () => {
    expect(depth('{ order(id: "1") { lines { sku } } }')).toEqual([]);
  });

  it('refuses a deeper one with QUERY_TOO_DEEP, naming the depth and the limit', () => {
    expect(depth('{ order(id: "1") { lines { product { name } } } }')).toEqual([
      {
        message:
          'the operation is 4 fields deep, more than the limit of 3; select less deeply nested fields or split the operation',
        extensions: { code: 'QUERY_TOO_DEEP', depth: 4, limit: 3 },
      },
    ]);
  });

  it('counts through named and inline fragments', () => {
    const query = `
      { order(id: "1") { ...Lines } }
      fragment Lines on Order { ... on Order { lines { product { name } } } }
    `;
    expect(depth(query)).toMatchObject([{ extensions: { depth: 4 } }]);
  });

  it('leaves introspection to its production switch, so tools can load the schema', () => {
    expect(
      depth('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }'),
    ).toEqual([]);
    expect(depth('{ products { edges { __typename } } }')).toEqual([]);
  });

  it('judges each operation of a document on its own', () => {
    const query = `
      query Shallow { product(sku: "A") { name } }
      query Deep { order(id: "1") { lines { product { name } } } }
    `;
    expect(depth(query)).toHaveLength(1);
  });

  it('measures fragments that spread each other many times over without expanding them', () => {
    // 40 fragments, each spreading the next twice: 2^40 selections once expanded.
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Product { name ...F${i + 1} ...F${i + 1} }`,
    );
    fragments.push('fragment F40 on Product { sku }');
    const query = `{ product(sku: "A") { ...F0 } } ${fragments.join(' ')}`;
    expect(depth(query)).toEqual([]);
  });

  it('leaves cyclic fragments to graphql-js, without looping', () => {
    const query = `
      { product(sku: "A") { ...A } }
      fragment A on Product { name ...B }
      fragment B on Product { sku ...A }
    `;
    const messages = refusals(query, [...specifiedRules, maxDepthRule(3)]).map((e) => e.message);
    expect(messages).toEqual([expect.stringMatching(/Cannot spread fragment "A" within itself/)]);
  });
});
