import { maxAliasesRule } from '../../src/limits/aliases';
import { refusals } from './api-schema';

const aliased = (count: number) =>
  Array.from({ length: count }, (_, i) => `p${i}: product(sku: "${i}") { sku }`).join(' ');

const aliases = (query: string, limit = 30) => refusals(query, [maxAliasesRule(limit)]);

describe('the alias limit', () => {
  it('admits as many aliases as the limit', () => {
    expect(aliases(`{ ${aliased(30)} }`)).toEqual([]);
  });

  it('refuses one more with TOO_MANY_ALIASES, naming the count and the limit', () => {
    expect(aliases(`{ ${aliased(31)} }`)).toEqual([
      {
        message:
          'the operation uses 31 aliases, more than the limit of 30; use fewer aliases or split the operation',
        extensions: { code: 'TOO_MANY_ALIASES', aliases: 31, limit: 30 },
      },
    ]);
  });

  it('counts aliases at every level and in inline fragments', () => {
    const query = '{ a: product(sku: "A") { n: name ... on Product { s: sku } } }';
    expect(aliases(query, 2)).toMatchObject([{ extensions: { aliases: 3 } }]);
  });

  it('counts a fragment once for every place it is spread', () => {
    const query = `
      { a: product(sku: "A") { ...Names } b: product(sku: "B") { ...Names } }
      fragment Names on Product { n1: name n2: name }
    `;
    expect(aliases(query, 5)).toMatchObject([{ extensions: { aliases: 6 } }]);
  });
});
