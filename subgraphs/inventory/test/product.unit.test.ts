import { DomainError } from '@orderflow/contracts';
import {
  productDecider,
  StockUnavailable,
  type ProductCommand,
  type ProductEvent,
} from '../src/domain/product';
import { scenario } from '@orderflow/runtime/testing';

const SKU = 'KB-001';
const usd = (amount: number) => ({ amount, currency: 'USD' });

const upserted = (name = 'Keyboard', price = usd(8900)): ProductEvent => ({
  type: 'ProductUpserted',
  data: { sku: SKU, name, price },
});
const adjusted = (delta: number): ProductEvent => ({
  type: 'StockAdjusted',
  data: { sku: SKU, delta, reason: 'RESTOCK' },
});
const reserved = (orderId: string, quantity: number): ProductEvent => ({
  type: 'StockReserved',
  data: { sku: SKU, orderId, quantity },
});
const released = (orderId: string, quantity: number): ProductEvent => ({
  type: 'StockReleased',
  data: { sku: SKU, orderId, quantity },
});

const upsert = (name = 'Keyboard', price = usd(8900)): ProductCommand => ({
  type: 'UpsertProduct',
  sku: SKU,
  name,
  price,
});
const restock = (quantity: number): ProductCommand => ({
  type: 'AdjustStock',
  sku: SKU,
  quantity,
  reason: 'RESTOCK',
});
const reserve = (orderId: string, quantity: number): ProductCommand => ({
  type: 'ReserveStock',
  sku: SKU,
  orderId,
  quantity,
});
const release = (orderId: string): ProductCommand => ({ type: 'ReleaseStock', sku: SKU, orderId });

const given = scenario(productDecider);

describe('UpsertProduct', () => {
  it('creates a product that does not exist', () => {
    expect(given().when(upsert())).toEqual([upserted()]);
  });

  it('records a new name or a new price', () => {
    expect(given(upserted()).when(upsert('Keyboard v2'))).toEqual([upserted('Keyboard v2')]);
    expect(given(upserted()).when(upsert('Keyboard', usd(9900)))).toEqual([
      upserted('Keyboard', usd(9900)),
    ]);
    expect(given(upserted()).when(upsert('Keyboard', { amount: 8900, currency: 'EUR' }))).toEqual([
      upserted('Keyboard', { amount: 8900, currency: 'EUR' }),
    ]);
  });

  it('records nothing when the name and price are what they already are', () => {
    expect(given(upserted()).when(upsert())).toEqual([]);
  });

  it('keeps the stock when the name or price changes', () => {
    const state = given(upserted(), adjusted(10), reserved('o-1', 3), upserted('New name')).state();

    expect(state).toMatchObject({ exists: true, name: 'New name', available: 7, reserved: 3 });
  });
});

describe('AdjustStock', () => {
  it('adds received stock to what is available', () => {
    expect(given(upserted()).when(restock(25))).toEqual([adjusted(25)]);
    expect(given(upserted(), adjusted(25)).state()).toMatchObject({ available: 25, reserved: 0 });
  });

  it.each([1, 1_000_000])('accepts %p units', (quantity) => {
    expect(given(upserted()).when(restock(quantity))).toEqual([adjusted(quantity)]);
  });

  it.each([0, -1, 1.5, 1_000_001])('refuses %p units as bad input', (quantity) => {
    const error = given(upserted()).refusal(restock(quantity));

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((error as Error).message).toMatch(/from 1 to 1,000,000/);
  });

  it('refuses to restock a product that does not exist', () => {
    const error = given().refusal(restock(5));

    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect((error as Error).message).toMatch(/upsertProduct/);
  });
});

describe('ReserveStock', () => {
  it('moves the quantity from available to reserved and remembers the hold', () => {
    expect(given(upserted(), adjusted(10)).when(reserve('o-1', 4))).toEqual([reserved('o-1', 4)]);

    const state = given(upserted(), adjusted(10), reserved('o-1', 4)).state();
    expect(state).toMatchObject({ available: 6, reserved: 4 });
    expect(state.holds).toEqual(new Map([['o-1', 4]]));
  });

  it('grants exactly what is available', () => {
    expect(given(upserted(), adjusted(4)).when(reserve('o-1', 4))).toEqual([reserved('o-1', 4)]);
  });

  it('records nothing for an order that already holds stock of this product', () => {
    // Even when what is left would no longer cover it: the order's share is already held.
    expect(given(upserted(), adjusted(4), reserved('o-1', 4)).when(reserve('o-1', 4))).toEqual([]);
  });

  it('refuses more than is available, saying how much is', () => {
    const error = given(upserted(), adjusted(3)).refusal(reserve('o-1', 5));

    expect(error).toBeInstanceOf(StockUnavailable);
    expect(error).toMatchObject({
      reason: 'OUT_OF_STOCK',
      sku: SKU,
      requested: 5,
      available: 3,
    });
  });

  it("counts other orders' holds as gone", () => {
    const error = given(upserted(), adjusted(5), reserved('o-1', 3)).refusal(reserve('o-2', 3));

    expect(error).toMatchObject({ reason: 'OUT_OF_STOCK', requested: 3, available: 2 });
  });

  it('refuses a product that does not exist', () => {
    const error = given().refusal(reserve('o-1', 1));

    expect(error).toBeInstanceOf(StockUnavailable);
    expect(error).toMatchObject({ reason: 'UNKNOWN_PRODUCT', requested: 1, available: 0 });
  });
});

describe('ReleaseStock', () => {
  it("gives back exactly the order's hold", () => {
    const history = [upserted(), adjusted(10), reserved('o-1', 4), reserved('o-2', 2)];

    expect(given(...history).when(release('o-1'))).toEqual([released('o-1', 4)]);

    const state = given(...history, released('o-1', 4)).state();
    expect(state).toMatchObject({ available: 8, reserved: 2 });
    expect(state.holds).toEqual(new Map([['o-2', 2]]));
  });

  it('records nothing for an order that holds nothing', () => {
    expect(given(upserted(), adjusted(10)).when(release('o-1'))).toEqual([]);
    expect(given().when(release('o-1'))).toEqual([]);
  });

  it('records nothing for an order whose hold was already released', () => {
    const history = [upserted(), adjusted(10), reserved('o-1', 4), released('o-1', 4)];

    expect(given(...history).when(release('o-1'))).toEqual([]);
  });
});

describe('ShipStock', () => {
  const ship = (orderId: string): ProductCommand => ({ type: 'ShipStock', sku: SKU, orderId });
  const shipped = (orderId: string, quantity: number): ProductEvent => ({
    type: 'StockShipped',
    data: { sku: SKU, orderId, quantity },
  });

  it("takes the order's hold out of the books: reserved goes down, available stays", () => {
    const history = [upserted(), adjusted(10), reserved('o-1', 4), reserved('o-2', 2)];

    expect(given(...history).when(ship('o-1'))).toEqual([shipped('o-1', 4)]);

    const state = given(...history, shipped('o-1', 4)).state();
    expect(state).toMatchObject({ available: 4, reserved: 2 });
    expect(state.holds).toEqual(new Map([['o-2', 2]]));
  });

  it('records nothing for an order that holds nothing, or whose hold already shipped', () => {
    expect(given(upserted(), adjusted(10)).when(ship('o-1'))).toEqual([]);
    const history = [upserted(), adjusted(10), reserved('o-1', 4), shipped('o-1', 4)];
    expect(given(...history).when(ship('o-1'))).toEqual([]);
  });
});
