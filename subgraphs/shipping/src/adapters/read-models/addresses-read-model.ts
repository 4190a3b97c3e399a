import type { Db } from 'mongodb';
import type { ShippingAddress, ShippingAddresses } from '../../application/ports';

export const ADDRESSES = 'addresses';

/** `_id` is the order id. */
export interface AddressDocument {
  readonly _id: string;
  readonly address: ShippingAddress;
}

export const addressesReadModel = (db: Db): ShippingAddresses => {
  const addresses = db.collection<AddressDocument>(ADDRESSES);
  return {
    addressOf: async (orderId) => (await addresses.findOne({ _id: orderId }))?.address,
  };
};
