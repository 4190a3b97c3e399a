export interface GraphQLResponse<T> {
  readonly data?: T | null;
  readonly errors?: readonly {
    message: string;
    path?: readonly (string | number)[];
    extensions?: { code?: string };
  }[];
}

/** A minimal GraphQL-over-HTTP client for the launcher's seeding and the end-to-end tests. */
export const graphql = async <T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
};

/** Like graphql(), but any error is thrown: for callers that expect success. */
export const graphqlData = async <T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> => {
  const result = await graphql<T>(url, query, variables, headers);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL request failed: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
};
