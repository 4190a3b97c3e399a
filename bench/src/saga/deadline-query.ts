import { SqliteDocumentStore, type FindQuery } from '@orderflow/runtime';
import { join } from 'node:path';
import { atExit } from '../lifecycle';

/** The order service's waiting statuses and their default deadlines (subgraphs/order/src/service.ts). */
const DEADLINES = {
  CREATED: 30_000,
  INVENTORY_RESERVED: 30_000,
  PAYMENT_CAPTURED: 60_000,
  SHIPPED: 600_000,
} as const;

/**
 * The deadline poller's read (4 finds, status + updatedAt < cutoff, at most 100 in all), straight
 * from the order service's SQLite file, which it only reads. Returns the orders found due, and
 * the `orders` collection for counting.
 */
export const deadlineQuery = (readModelDir: string) => {
  const orderFile = join(readModelDir, 'order.sqlite');
  const orderStore = new SqliteDocumentStore(orderFile);
  atExit(`close ${orderFile}`, () => orderStore.close());
  const orders = orderStore.collection<{ _id: string }>('orders');
  const overdue = async () => {
    const at = Date.now();
    let due = 0;
    for (const [status, deadline] of Object.entries(DEADLINES)) {
      if (due >= 100) break;
      const query: FindQuery = {
        where: { status, updatedAt: { lt: new Date(at - deadline).toISOString() } },
        orderBy: { updatedAt: 'asc' },
        limit: 100 - due,
      };
      due += (await orders.find(query)).length;
    }
    return due;
  };
  return { orders, overdue };
};
