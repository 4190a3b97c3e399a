import { parse } from 'graphql';
import { sizeVariables } from '../../src/limits/cost';
import { limitVerdicts } from '../../src/limits/verdicts';
import { apiSchema } from './api-schema';

const limits = { maxDepth: 10, maxCost: 1_000, maxAliases: 10, introspection: false };
const page = parse(
  'query ($n: Int, $after: String) { products(first: $n, after: $after) { edges { node { name } } } }',
);

describe('the verdicts of the limits', () => {
  it('are read once per document and page size, whatever the other variables', () => {
    const verdicts = limitVerdicts(limits);
    for (let i = 0; i < 100; i++) {
      expect(verdicts.refusal(apiSchema, page, { n: 10, after: `cursor-${i}` })).toBeUndefined();
    }
    expect(verdicts.validations).toBe(1);
  });

  it('follow the page size: a costly `first` is refused, a cheap one after it is not', () => {
    const verdicts = limitVerdicts(limits);
    expect(verdicts.refusal(apiSchema, page, { n: 10 })).toBeUndefined();
    expect(verdicts.refusal(apiSchema, page, { n: 5_000 })?.extensions.code).toBe(
      'QUERY_TOO_COSTLY',
    );
    expect(verdicts.refusal(apiSchema, page, { n: 5_000 })?.extensions.code).toBe(
      'QUERY_TOO_COSTLY',
    );
    expect(verdicts.refusal(apiSchema, page, { n: 10 })).toBeUndefined();
    expect(verdicts.validations).toBe(2);
  });

  it('tell an unset page size (its default) from a null one (the list default)', () => {
    const withDefault = parse(
      'query ($n: Int = 2000) { products(first: $n) { edges { node { name } } } }',
    );
    const verdicts = limitVerdicts(limits);
    expect(verdicts.refusal(apiSchema, withDefault, {})?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(verdicts.refusal(apiSchema, withDefault, { n: null })).toBeUndefined();
  });

  it('depend only on the variables given as `first`', () => {
    expect(sizeVariables(page)).toEqual(['n']);
    expect(
      sizeVariables(
        parse('mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }'),
      ),
    ).toEqual([]);
  });
});
