import type { DocumentStore } from '@orderflow/runtime';
import type { ShipmentStatus } from '../../domain/shipment';

export const SHIPMENTS = 'shipments';

/** A shipment exists in the read model once shipping recorded something for its order. */
export type ProjectedStatus = Exclude<ShipmentStatus, 'NONE'>;

/** A shipment as the read model stores it: `_id` is the order id. */
export interface ShipmentDocument {
  readonly _id: string;
  readonly status: ProjectedStatus;
  readonly carrier?: string;
  readonly trackingNumber?: string;
  readonly failureReason?: string;
  readonly dispatchedAt?: string;
  readonly deliveredAt?: string;
  readonly updatedAt: string;
}

/** A shipment as the API shows it. */
export interface ShipmentView {
  readonly orderId: string;
  readonly status: ProjectedStatus;
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly failureReason: string | null;
  readonly dispatchedAt: string | null;
  readonly deliveredAt: string | null;
  readonly updatedAt: string;
}

export interface ShipmentsReadModel {
  /** The shipments of those of `orderIds` that have one, in no particular order; one query. */
  findByOrderIds(orderIds: readonly string[]): Promise<ShipmentView[]>;
  /** Up to `limit` order ids of parcels still travelling that were dispatched by `cutoff`. */
  dispatchedBy(cutoff: string, limit: number): Promise<string[]>;
}

const toView = (document: ShipmentDocument): ShipmentView => ({
  orderId: document._id,
  status: document.status,
  carrier: document.carrier ?? null,
  trackingNumber: document.trackingNumber ?? null,
  failureReason: document.failureReason ?? null,
  dispatchedAt: document.dispatchedAt ?? null,
  deliveredAt: document.deliveredAt ?? null,
  updatedAt: document.updatedAt,
});

export const shipmentsReadModel = (documents: DocumentStore): ShipmentsReadModel => {
  const shipments = documents.collection<ShipmentDocument>(SHIPMENTS);
  return {
    findByOrderIds: async (orderIds) => (await shipments.getMany(orderIds)).map(toView),
    // Oldest first, so a backlog is worked off in the order it fell due. ISO times in UTC
    // compare as strings.
    dispatchedBy: async (cutoff, limit) =>
      (
        await shipments.find({
          where: { status: 'DISPATCHED', dispatchedAt: { lte: cutoff } },
          orderBy: { dispatchedAt: 'asc' },
          limit,
        })
      ).map((document) => document._id),
  };
};
