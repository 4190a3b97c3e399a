import type { Order, OrderState } from '../domain/order';

/** An order as the API shows it: the aggregate's state and when it last changed. */
export interface OrderRecord extends Order {
  readonly updatedAt: string;
}

/** The order of a loaded or handled aggregate; null when it was never placed. */
export const recordOf = ({
  state,
  updatedAt,
}: {
  readonly state: OrderState;
  readonly updatedAt: string | undefined;
}): OrderRecord | null => state && { ...state, updatedAt: updatedAt ?? state.createdAt };
