import { validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { sizeVariables } from './cost';
import { limitRules, type OperationLimits } from './rules';

/** Distinct page sizes remembered per document; past that the oldest verdict is forgotten. */
const VERDICTS_PER_DOCUMENT = 64;

interface Remembered {
  readonly sizes: readonly string[];
  readonly verdicts: Map<string, { readonly refusal: GraphQLError | undefined }>;
}

export interface LimitVerdicts {
  /** The first limit the operation breaks with these variables, or undefined. */
  refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Readonly<Record<string, unknown>>,
  ): GraphQLError | undefined;
  /** How many times the rules have run: once per document and page sizes, not per request. */
  readonly validations: number;
}

/**
 * The limits' verdicts, remembered per schema, document and page sizes. Apollo hands every
 * request of the same query text the same parsed document, and validating it against the rules
 * took a fifth of the gateway's request handling; the same document with the same `first` values
 * gets the same verdict, whatever its other variables (a placed order's lines).
 */
export const limitVerdicts = (limits: OperationLimits): LimitVerdicts => {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Remembered>>();
  let validations = 0;
  return {
    refusal: (schema, document, variables) => {
      let byDocument = bySchema.get(schema);
      if (byDocument === undefined) {
        byDocument = new WeakMap();
        bySchema.set(schema, byDocument);
      }
      // Only the cost rule reads variables, and only those given as `first`.
      let remembered = byDocument.get(document);
      if (remembered === undefined) {
        remembered = { sizes: sizeVariables(document), verdicts: new Map() };
        byDocument.set(document, remembered);
      }
      // An unset variable and a null one cost differently (its default, or the list default).
      const key = remembered.sizes
        .map((name) => (variables[name] === undefined ? '' : JSON.stringify(variables[name])))
        .join('\u0000');
      const known = remembered.verdicts.get(key);
      if (known !== undefined) return known.refusal;
      validations++;
      const [refusal] = validate(schema, document, limitRules(limits, variables));
      remembered.verdicts.set(key, { refusal });
      if (remembered.verdicts.size > VERDICTS_PER_DOCUMENT) {
        const oldest = remembered.verdicts.keys().next();
        if (!oldest.done) remembered.verdicts.delete(oldest.value);
      }
      return refusal;
    },
    get validations() {
      return validations;
    },
  };
};
