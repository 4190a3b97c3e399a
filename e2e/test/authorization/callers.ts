import { developmentToken } from '@orderflow/stack';

/** Who asks: nobody, someone with a bad token, two customers, an admin. */
export const callers = ['anonymous', 'wrongSecret', 'expired', 'alice', 'bob', 'admin'] as const;
export type Caller = (typeof callers)[number];

/** The callers whose token is valid, by the customer id their token names. */
export const customers = { alice: 'alice', bob: 'bob', admin: 'ops' } as const;
export type Customer = keyof typeof customers;

export const tokens: Record<Caller, string | undefined> = {
  anonymous: undefined,
  // Both bad tokens claim admin: a forged or stale claim must unlock nothing.
  wrongSecret: developmentToken('alice', { admin: true, secret: 'not-the-secret-of-this-system' }),
  expired: developmentToken('alice', { admin: true, expiresIn: -60 }),
  alice: developmentToken(customers.alice),
  bob: developmentToken(customers.bob),
  admin: developmentToken(customers.admin, { admin: true }),
};

export const isCustomer = (caller: Caller): caller is Customer => caller in customers;
/** Callers without a valid token own nothing: "their own" order is alice's. */
export const owner = (caller: Caller): Customer => (isCustomer(caller) ? caller : 'alice');
/** Another customer's: bob's for alice, alice's for everyone else. */
export const other = (caller: Caller): Customer => (caller === 'alice' ? 'bob' : 'alice');

/**
 * What a caller gets. `data`: the field answered; `null`: answered null, exactly as for something
 * that does not exist (every entity asked about, or the field); `own`: only the caller's own
 * orders (at least one); `all`: the orders of both customers.
 */
export type Outcome =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'null' | 'data' | 'own' | 'all';
export const [U, F, NF, NUL, OK, OWN, ALL] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'null',
  'data',
  'own',
  'all',
] as const;
