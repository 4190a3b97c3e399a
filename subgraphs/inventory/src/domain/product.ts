import {
  DomainError,
  type Decider,
  type DomainEvent,
  type EventData,
  type Money,
} from '@orderflow/contracts';

export type ProductCommand =
  | {
      readonly type: 'UpsertProduct';
      readonly sku: string;
      readonly name: string;
      readonly price: Money;
    }
  | {
      readonly type: 'AdjustStock';
      readonly sku: string;
      readonly quantity: number;
      readonly reason: 'RESTOCK';
    }
  | {
      readonly type: 'ReserveStock';
      readonly sku: string;
      readonly orderId: string;
      readonly quantity: number;
    }
  | { readonly type: 'ReleaseStock'; readonly sku: string; readonly orderId: string }
  | { readonly type: 'ShipStock'; readonly sku: string; readonly orderId: string };

export type ProductEvent = DomainEvent<
  'ProductUpserted' | 'StockAdjusted' | 'StockReserved' | 'StockReleased' | 'StockShipped'
>;

interface Stock {
  readonly available: number;
  readonly reserved: number;
  /** Units held per order: what makes reserving and releasing for an order idempotent. */
  readonly holds: ReadonlyMap<string, number>;
}

export type ProductState =
  | (Stock & { readonly exists: false })
  | (Stock & {
      readonly exists: true;
      readonly sku: string;
      readonly name: string;
      readonly price: Money;
    });

const MAX_RESTOCK = 1_000_000;

/**
 * A reservation the product cannot grant. It carries what the saga's InventoryFailed reports, so
 * the application can tell the order why without asking the product again.
 */
export class StockUnavailable extends DomainError {
  constructor(
    readonly reason: EventData<'InventoryFailed'>['reason'],
    readonly sku: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super(
      'CONFLICT',
      reason === 'UNKNOWN_PRODUCT'
        ? `product ${sku} does not exist`
        : `product ${sku} has ${available} available, ${requested} requested`,
    );
  }
}

const sameMoney = (a: Money, b: Money) => a.amount === b.amount && a.currency === b.currency;

const decide = (command: ProductCommand, state: ProductState): ProductEvent[] => {
  switch (command.type) {
    case 'UpsertProduct': {
      const { sku, name, price } = command;
      if (state.exists && state.name === name && sameMoney(state.price, price)) return [];
      return [{ type: 'ProductUpserted', data: { sku, name, price } }];
    }
    case 'AdjustStock': {
      const { sku, quantity, reason } = command;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_RESTOCK) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `quantity must be a whole number from 1 to ${MAX_RESTOCK.toLocaleString('en-US')}; got ${quantity}`,
        );
      }
      if (!state.exists) {
        throw new DomainError(
          'NOT_FOUND',
          `product ${sku} does not exist; create it with upsertProduct first`,
        );
      }
      return [{ type: 'StockAdjusted', data: { sku, delta: quantity, reason } }];
    }
    case 'ReserveStock': {
      const { sku, orderId, quantity } = command;
      if (state.holds.has(orderId)) return [];
      if (!state.exists) throw new StockUnavailable('UNKNOWN_PRODUCT', sku, quantity, 0);
      if (state.available < quantity) {
        throw new StockUnavailable('OUT_OF_STOCK', sku, quantity, state.available);
      }
      return [{ type: 'StockReserved', data: { sku, orderId, quantity } }];
    }
    case 'ReleaseStock': {
      const { sku, orderId } = command;
      const held = state.holds.get(orderId);
      if (held === undefined) return [];
      return [{ type: 'StockReleased', data: { sku, orderId, quantity: held } }];
    }
    case 'ShipStock': {
      const { sku, orderId } = command;
      const held = state.holds.get(orderId);
      if (held === undefined) return [];
      return [{ type: 'StockShipped', data: { sku, orderId, quantity: held } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled product command ${JSON.stringify(unhandled)}`);
    }
  }
};

const hold = (holds: ReadonlyMap<string, number>, orderId: string, quantity: number) =>
  new Map(holds).set(orderId, quantity);

const unhold = (holds: ReadonlyMap<string, number>, orderId: string) => {
  const next = new Map(holds);
  next.delete(orderId);
  return next;
};

const evolve = (state: ProductState, event: ProductEvent): ProductState => {
  switch (event.type) {
    case 'ProductUpserted':
      return { ...state, exists: true, ...event.data };
    case 'StockAdjusted':
      return { ...state, available: state.available + event.data.delta };
    case 'StockReserved': {
      const { orderId, quantity } = event.data;
      return {
        ...state,
        available: state.available - quantity,
        reserved: state.reserved + quantity,
        holds: hold(state.holds, orderId, quantity),
      };
    }
    case 'StockReleased': {
      const { orderId, quantity } = event.data;
      return {
        ...state,
        available: state.available + quantity,
        reserved: state.reserved - quantity,
        holds: unhold(state.holds, orderId),
      };
    }
    case 'StockShipped': {
      const { orderId, quantity } = event.data;
      return { ...state, reserved: state.reserved - quantity, holds: unhold(state.holds, orderId) };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled product event ${JSON.stringify(unhandled)}`);
    }
  }
};

export const productDecider: Decider<ProductCommand, ProductState, ProductEvent> = {
  decide,
  evolve,
  initialState: (): ProductState => ({
    exists: false,
    available: 0,
    reserved: 0,
    holds: new Map(),
  }),
};
