import type { ValidationRule } from 'graphql';
import { maxAliasesRule } from './aliases';
import { maxCostRule } from './cost';
import { maxDepthRule } from './depth';
import { noIntrospectionRule } from './introspection';
import type { LimitSettings } from './settings';

export type OperationLimits = Pick<
  LimitSettings,
  'maxDepth' | 'maxCost' | 'maxAliases' | 'introspection'
>;

/**
 * The graphql-js rules that refuse an operation over the limits, for `validate()` wherever
 * operations arrive. Pass the request's variables: a `first: $n` costs what `$n` asks for.
 */
export const limitRules = (
  limits: OperationLimits,
  variables: Readonly<Record<string, unknown>> = {},
): ValidationRule[] => [
  maxDepthRule(limits.maxDepth),
  maxCostRule(limits.maxCost, variables),
  maxAliasesRule(limits.maxAliases),
  ...(limits.introspection ? [] : [noIntrospectionRule]),
];
