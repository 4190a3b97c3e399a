import { z } from 'zod';

/** Shipping's own settings, read from the environment by wire(). */
export const shippingSettings = z.object({
  /** How long after dispatch the simulated carrier reports the parcel delivered (up to a day). */
  SHIPPING_DELIVERY_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(5_000),
  /** The probability that the simulated carrier loses a parcel in transit. */
  SHIPPING_SIMULATOR_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** How often the read model is asked which deliveries are due. */
  SHIPPING_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
});

export type ShippingSettings = z.infer<typeof shippingSettings>;
