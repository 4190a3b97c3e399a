import { DomainError } from '@orderflow/contracts';
import type { Viewer } from '@orderflow/runtime';

/** A customer reads, cancels and follows their own orders only; an admin, every order. */
export const mayAccess = (viewer: Viewer, order: { readonly customerId: string }): boolean =>
  viewer.admin || order.customerId === viewer.customerId;

/**
 * Whose orders a listing covers. A customer's are their own, and asking for another's is
 * FORBIDDEN (which reveals no order); an admin's are the ones asked for, everyone's by default.
 */
export const listedCustomer = (viewer: Viewer, asked: string | undefined): string | undefined => {
  if (viewer.admin) return asked;
  if (asked !== undefined && asked !== viewer.customerId) {
    throw new DomainError(
      'FORBIDDEN',
      `a customer lists only their own orders; leave out customerId or pass "${viewer.customerId}"`,
    );
  }
  return viewer.customerId;
};
