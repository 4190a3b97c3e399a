import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One request the README tells a reader to send with curl. */
export interface ReadmeRequest {
  /** The shell variable holding its token: TOKEN (a customer) or ADMIN. */
  readonly token: string;
  readonly body: { readonly query: string };
}

/** Every `curl ... -H "authorization: Bearer $X" -d '<json>'` in the README, in order. */
export const readmeRequests = (): ReadmeRequest[] => {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
  return [...readme.matchAll(/Bearer \$(\w+)" \\\n\s+-d '(\{.*\})'/g)].map(([, token, json]) => ({
    token: token!,
    body: JSON.parse(json!) as { query: string },
  }));
};

/** The README's requests that name an order take its id from whoever runs them. */
export const ORDER_ID_PLACEHOLDER = '<id>';
