import type { Db, Filter, WithId } from 'mongodb';
import type { OrderRecord } from '../../application/order-record';
import type { OrderReadModel } from '../../application/ports';
import type { WaitingStatus } from '../../domain/order';
import { ORDERS, type OrderDocument } from './orders-projection';

const toRecord = (document: WithId<OrderDocument>): OrderRecord => ({
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

export const mongoOrderReadModel = (db: Db): OrderReadModel => {
  const orders = db.collection<OrderDocument>(ORDERS);
  return {
    page: async ({ status, customerId }, after, limit) => {
      const filter: Filter<OrderDocument> = {
        ...(status === undefined ? {} : { status }),
        ...(customerId === undefined ? {} : { customerId }),
        ...(after === undefined
          ? {}
          : {
              $or: [
                { createdAt: { $lt: after.createdAt } },
                { createdAt: after.createdAt, _id: { $lt: after.id } },
              ],
            }),
      };
      const found = await orders
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .toArray();
      return found.map(toRecord);
    },
    byIds: async (ids) => (await orders.find({ _id: { $in: [...ids] } }).toArray()).map(toRecord),
    overdue: async (cutoffs, limit) => {
      const late = Object.entries(cutoffs).map(([status, cutoff]) => ({
        status: status as WaitingStatus,
        updatedAt: { $lt: cutoff },
      }));
      return (await orders.find({ $or: late }).limit(limit).toArray()).map((order) => order._id);
    },
  };
};
