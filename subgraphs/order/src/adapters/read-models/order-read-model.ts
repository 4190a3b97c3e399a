import type { DocumentStore } from '@orderflow/runtime';
import type { OrderRecord } from '../../application/order-record';
import type { OrderReadModel } from '../../application/ports';
import { ORDERS, type OrderDocument } from './orders-projection';

const toRecord = (document: OrderDocument): OrderRecord => ({
  id: document._id,
  status: document.status,
  customerId: document.customerId,
  lines: document.lines,
  total: document.total,
  paymentMethod: document.paymentMethod,
  shippingAddress: document.shippingAddress,
  failureReason: document.failureReason,
  failureDetail: document.failureDetail,
  paymentId: document.paymentId,
  trackingNumber: document.trackingNumber,
  createdAt: document.createdAt,
  updatedAt: document.updatedAt,
  version: document.version,
});

export const orderReadModel = (documents: DocumentStore): OrderReadModel => {
  const orders = documents.collection<OrderDocument>(ORDERS);
  return {
    page: async ({ status, customerId }, after, limit) =>
      (
        await orders.find({
          where: {
            ...(status === undefined ? {} : { status }),
            ...(customerId === undefined ? {} : { customerId }),
          },
          orderBy: { createdAt: 'desc', _id: 'desc' },
          limit,
          ...(after === undefined ? {} : { after: { createdAt: after.createdAt, _id: after.id } }),
        })
      ).map(toRecord),
    byIds: async (ids) => (await orders.getMany(ids)).map(toRecord),
    // One index range per waiting status, oldest first, so a backlog is worked off in order.
    overdue: async (cutoffs, limit) => {
      const due: string[] = [];
      for (const [status, cutoff] of Object.entries(cutoffs)) {
        if (due.length >= limit) break;
        const late = await orders.find({
          where: { status, updatedAt: { lt: cutoff } },
          orderBy: { updatedAt: 'asc' },
          limit: limit - due.length,
        });
        due.push(...late.map((order) => order._id));
      }
      return due;
    },
  };
};
