import {
  DomainError,
  isPlainText,
  OrderId,
  PLAIN_TEXT_RULE,
  plainText,
  Sku,
} from '@orderflow/contracts';
import { deterministicId, randomId, requestCause, type Viewer } from '@orderflow/runtime';
import { z } from 'zod';
import { noSuchOrder } from '../domain/order';
import { mayAccess } from './order-access';
import { recordOf, type OrderRecord } from './order-record';
import type { OrderRepository, PriceCatalog } from './ports';

/** Only the shape of the input: the domain judges the values and explains what is wrong. */
const PlaceOrderInput = z.object({
  lines: z.array(z.object({ sku: Sku, quantity: z.number() })),
  paymentMethod: z.string(),
  shippingAddress: z.object({
    name: z.string(),
    line1: z.string(),
    city: z.string(),
    postalCode: z.string(),
    country: z.string(),
  }),
  idempotencyKey: plainText(z.string().min(1).max(200)).nullish(),
});

export interface OrderCommands {
  /** Places an order for the viewer: the customer is the token's, never the input's. */
  placeOrder(input: unknown, viewer: Viewer, requestId: string, now: Date): Promise<OrderRecord>;
  /** The viewer's own order, or any for an admin; another's is NOT_FOUND, as a missing one. */
  cancelOrder(
    id: string,
    reason: unknown,
    viewer: Viewer,
    requestId: string,
    now: Date,
  ): Promise<OrderRecord>;
}

const CancelReason = z
  .string()
  .max(500, 'reason must be at most 500 characters')
  .refine(isPlainText, `reason ${PLAIN_TEXT_RULE}`)
  .nullish();

export const orderCommands = (orders: OrderRepository, catalog: PriceCatalog): OrderCommands => ({
  placeOrder: async (input, viewer, requestId, now) => {
    const parsed = PlaceOrderInput.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new DomainError('BAD_USER_INPUT', problems.join('; '));
    }
    const { lines, paymentMethod, shippingAddress, idempotencyKey } = parsed.data;
    const { customerId } = viewer;
    // Keys are chosen by customers, so the same key from two customers names two orders; the
    // pair is encoded unambiguously, so no customer id and key can spell another pair.
    const orderId = idempotencyKey
      ? deterministicId(JSON.stringify(['order', customerId, idempotencyKey]))
      : randomId();
    const prices = await catalog.pricesOf([...new Set(lines.map((line) => line.sku))]);
    const handled = await orders.handle(
      orderId,
      {
        type: 'PlaceOrder',
        orderId,
        customerId,
        lines,
        prices,
        paymentMethod,
        shippingAddress,
        placedAt: now.toISOString(),
      },
      requestCause(requestId, orderId, now),
    );
    const order = recordOf(handled);
    if (!order) throw new Error(`order ${orderId} has no state after being placed`);
    return order;
  },
  cancelOrder: async (id, reason, viewer, requestId, now) => {
    const parsed = CancelReason.safeParse(reason);
    if (!parsed.success) throw new DomainError('BAD_USER_INPUT', parsed.error.issues[0]!.message);
    if (!OrderId.safeParse(id).success) throw noSuchOrder(id);
    // The owner never changes, so the order loaded here is owned by whom handle() will see.
    const { state } = await orders.load(id);
    if (state && !mayAccess(viewer, state)) throw noSuchOrder(id);
    const handled = await orders.handle(
      id,
      { type: 'CancelOrder', orderId: id, reason: parsed.data ?? undefined },
      requestCause(requestId, id, now),
    );
    const order = recordOf(handled);
    if (!order) throw new Error(`order ${id} has no state after being cancelled`);
    return order;
  },
});
