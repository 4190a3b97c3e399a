import { limitRules } from '../../src/limits';
import { refusals } from './api-schema';

const limits = { maxDepth: 12, maxCost: 5000, maxAliases: 30 };

describe('introspection', () => {
  it('is refused with INTROSPECTION_DISABLED when turned off', () => {
    const rules = limitRules({ ...limits, introspection: false });
    const refused = {
      message:
        'introspection is disabled in production; use the published schema (gateway/supergraph.graphql) instead',
      extensions: { code: 'INTROSPECTION_DISABLED' },
    };
    expect(refusals('{ __schema { queryType { name } } }', rules)).toEqual([refused]);
    expect(refusals('{ __type(name: "Order") { name } }', rules)).toEqual([refused]);
  });

  it('still answers __typename when turned off', () => {
    const rules = limitRules({ ...limits, introspection: false });
    expect(refusals('{ products { __typename } }', rules)).toEqual([]);
  });

  it('is answered when turned on', () => {
    const rules = limitRules({ ...limits, introspection: true });
    expect(refusals('{ __schema { queryType { name } } }', rules)).toEqual([]);
  });
});
