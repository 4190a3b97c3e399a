import { bearer, graphqlData, waitFor } from '@orderflow/stack';
import { randomUUID } from 'node:crypto';
import { client, orderInput, sagaReaching, stockReaching } from '../support/orderflow';
import type { TestSystem } from '../support/system';
import { customers, tokens, type Customer } from './callers';

export const IN_STOCK = 'AUTHZ-IN';
export const SOLD_OUT = 'AUTHZ-OUT';

/**
 * The alert rules the analytics rows ask about, each row its own, so no row's outcome depends on
 * another's having run: `changed` and `deleted` exist before any row runs (deleting a rule again is
 * answered true, as the first time), `created` is made by its row (a repeat of the same rule is a
 * success), `missing` is never made.
 */
export const RULES = {
  changed: 'authz-changed',
  deleted: 'authz-deleted',
  created: 'authz-created',
  missing: 'authz-never-created',
} as const;

/**
 * An alert rule's input: by default one never breached (above a billion orders a minute), so it
 * never changes state and no subscription hears of it.
 */
export const alertRuleInput = (
  id: string,
  {
    comparison = 'ABOVE',
    threshold = 1e9,
  }: { comparison?: 'ABOVE' | 'BELOW'; threshold?: number } = {},
) => ({
  id,
  name: `Rule ${id}`,
  metric: 'ORDERS_PER_MINUTE',
  comparison,
  threshold,
  windowMs: 60_000,
  // Long enough never to fire: a breached rule moves once, OK to PENDING, and then rests.
  pendingMs: 86_400_000,
});
const CREATE_RULE = `mutation ($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }`;

/** The orders of one customer that the matrix asks about. */
export interface CustomerOrders {
  readonly customerId: string;
  /** Paid and dispatched, resting at SHIPPED: it has a payment (CAPTURED) and a shipment. */
  readonly shipped: string;
  /** Declined by the provider: a FAILED payment with the provider's reason, then cancelled. */
  readonly declined: string;
  /** Of a sold-out product, so cancelled at once: cancelling it again is a success. */
  readonly cancelled: string;
}

export interface Fixtures {
  readonly orders: Readonly<Record<Customer, CustomerOrders>>;
  /** Well-formed ids of orders never placed: another's must be answered exactly like these. */
  readonly missing: CustomerOrders;
  /** Places an order of a sold-out product for `customer`, through the gateway. */
  placeFor(customer: Customer): Promise<string>;
  /** Creates an alert rule breached at once (so it moves to PENDING within a second or two). */
  breachedRule(): Promise<string>;
}

/**
 * The catalog, and three settled orders for each customer, seen as settled by every subgraph:
 * the payment and shipment fields answer for their owner, so payment and shipping know whose
 * each order is before any row asks on another's behalf. And the alert rules of RULES that exist
 * before any row runs, `changed` seen by the read model.
 */
export const setUpFixtures = async ({ system, admin }: TestSystem): Promise<Fixtures> => {
  await admin.createProduct(IN_STOCK, 500, 1000);
  await admin.createProduct(SOLD_OUT, 500, 0);
  await stockReaching(admin, IN_STOCK, { available: 1000, reserved: 0 });
  const clientOf = (customer: Customer) => client(system.gatewayUrl, tokens[customer]!);
  const place = async (customer: Customer, sku: string, paymentMethod = 'pm_card_visa') =>
    (await clientOf(customer).placeOrder(orderInput([{ sku, quantity: 1 }], { paymentMethod }))).id;

  const settled = async (customer: Customer): Promise<CustomerOrders> => {
    const api = clientOf(customer);
    const [shipped, declined, cancelled] = await Promise.all([
      place(customer, IN_STOCK),
      place(customer, IN_STOCK, 'pm_card_chargeDeclined'),
      place(customer, SOLD_OUT),
    ]);
    await Promise.all([
      sagaReaching(api, shipped, 'shipped, paid and dispatched', (order) =>
        Boolean(order.status === 'SHIPPED' && order.payment && order.shipment),
      ),
      sagaReaching(api, declined, 'cancelled with a declined payment', (order) =>
        Boolean(order.status === 'CANCELLED' && order.payment?.status === 'FAILED'),
      ),
      sagaReaching(api, cancelled, 'cancelled', (order) => order.status === 'CANCELLED'),
    ]);
    return { customerId: customers[customer], shipped, declined, cancelled };
  };
  const [alice, bob, ops] = await Promise.all([settled('alice'), settled('bob'), settled('admin')]);
  const orders = { alice, bob, admin: ops };

  const asAdmin = <T>(query: string, variables: Record<string, unknown>) =>
    graphqlData<T>(system.gatewayUrl, query, variables, bearer(tokens.admin!));
  const createRule = async (input: ReturnType<typeof alertRuleInput>) => {
    await asAdmin(CREATE_RULE, { input });
    return input.id;
  };
  await Promise.all([RULES.changed, RULES.deleted].map((id) => createRule(alertRuleInput(id))));
  await waitFor('the read model to show the rule to change', async () => {
    const { alertRule } = await asAdmin<{ alertRule: unknown }>(
      'query ($id: ID!) { alertRule(id: $id) { id } }',
      { id: RULES.changed },
    );
    return alertRule !== null;
  });

  const everyId = [alice, bob, ops].flatMap(({ shipped, declined, cancelled }) => [
    shipped,
    declined,
    cancelled,
  ]);
  await waitFor('the read model to list every order', async () => {
    const { orders: listed } = await asAdmin<{ orders: { edges: { node: { id: string } }[] } }>(
      '{ orders(first: 100) { edges { node { id } } } }',
      {},
    );
    const ids = new Set(listed.edges.map(({ node }) => node.id));
    return everyId.every((id) => ids.has(id));
  });

  return {
    orders,
    missing: {
      customerId: 'nobody',
      shipped: randomUUID(),
      declined: randomUUID(),
      cancelled: randomUUID(),
    },
    placeFor: (customer) => place(customer, SOLD_OUT),
    // Below a billion orders a minute: breached from the first evaluation on.
    breachedRule: () =>
      createRule(alertRuleInput(`authz-breached-${randomUUID()}`, { comparison: 'BELOW' })),
  };
};

/** `value` with every order id of `from` written as the id of `to` in the same place. */
export const renamed = (value: unknown, from: CustomerOrders, to: CustomerOrders): unknown => {
  let text = JSON.stringify(value);
  for (const key of ['shipped', 'declined', 'cancelled'] as const) {
    text = text.replaceAll(from[key], to[key]);
  }
  return JSON.parse(text) as unknown;
};
