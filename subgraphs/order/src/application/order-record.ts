import type { Order, OrderState } from '../domain/order';

/** An order as the API shows it: the aggregate's state, its version and when it last changed. */
export interface OrderRecord extends Order {
  readonly updatedAt: string;
  /** How many events the order has; a subscriber resumes after it (`sinceVersion`). */
  readonly version: number;
}

/** The order of a loaded or handled aggregate; null when it was never placed. */
export const recordOf = ({
  state,
  version,
  updatedAt,
}: {
  readonly state: OrderState;
  readonly version: number;
  readonly updatedAt: string | undefined;
}): OrderRecord | null => state && { ...state, version, updatedAt: updatedAt ?? state.createdAt };
