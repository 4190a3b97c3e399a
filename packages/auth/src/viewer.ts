import { DomainError } from '@orderflow/contracts';
import type { JWTPayload } from 'jose';

/** Who a request speaks for, from its verified token. */
export interface Viewer {
  /** The token's `sub`: the customer whose orders this viewer owns. */
  readonly customerId: string;
  /** The token grants the `admin` scope: the catalog, every order, metrics. */
  readonly admin: boolean;
  /** The verified token, so the gateway can forward it to the subgraphs, which verify it again. */
  readonly token: string;
}

const ADMIN_SCOPE = 'admin';

/**
 * Identity providers spell scopes differently: OAuth's `scope` is one space-separated string,
 * others send `scp` or `scopes` as a list (or as such a string). Any of them grants a scope.
 */
const scopesOf = (claims: JWTPayload): string[] =>
  ['scope', 'scp', 'scopes'].flatMap((claim) => {
    const value: unknown = claims[claim];
    const listed: unknown[] = Array.isArray(value) ? value : [value];
    return listed.flatMap((scopes) => (typeof scopes === 'string' ? scopes.split(' ') : []));
  });

/** The viewer of a verified token, whose `sub` names the customer. */
export const viewerOf = (customerId: string, claims: JWTPayload, token: string): Viewer => ({
  customerId,
  admin: scopesOf(claims).includes(ADMIN_SCOPE),
  token,
});

/** Refuses a viewer without the admin scope: `operation` names what was refused. */
export const requireAdmin = (viewer: Viewer, operation: string): void => {
  if (!viewer.admin) {
    throw new DomainError(
      'FORBIDDEN',
      `${operation} needs the admin scope; ask with a token whose scope includes "${ADMIN_SCOPE}"`,
    );
  }
};
