import type { DocumentStore } from '@orderflow/runtime';
import type { ShippingAddress, ShippingAddresses } from '../../application/ports';

export const ADDRESSES = 'addresses';

/** `_id` is the order id. */
export interface AddressDocument {
  readonly _id: string;
  readonly address: ShippingAddress;
}

export const addressesReadModel = (documents: DocumentStore): ShippingAddresses => {
  const addresses = documents.collection<AddressDocument>(ADDRESSES);
  return {
    addressOf: async (orderId) => (await addresses.get(orderId))?.address,
  };
};
