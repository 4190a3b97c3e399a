import {
  reservationDecider,
  type ReservationCommand,
  type ReservationEvent,
} from '../src/domain/reservation';
import { scenario } from '@orderflow/runtime/testing';

const ORDER = 'o-1';
const lines = [
  { sku: 'KB-001', quantity: 1 },
  { sku: 'MS-002', quantity: 2 },
];
const failure = {
  orderId: ORDER,
  reason: 'OUT_OF_STOCK',
  sku: 'MS-002',
  requested: 2,
  available: 1,
} as const;

const confirm: ReservationCommand = { type: 'Confirm', orderId: ORDER, lines };
const fail: ReservationCommand = { type: 'Fail', ...failure };
const inventoryReserved: ReservationEvent = {
  type: 'InventoryReserved',
  data: { orderId: ORDER, lines },
};
const inventoryFailed: ReservationEvent = { type: 'InventoryFailed', data: failure };

const given = scenario(reservationDecider);

describe('a reservation not yet decided', () => {
  it('is confirmed with the lines it holds', () => {
    expect(given().when(confirm)).toEqual([inventoryReserved]);
    expect(given(inventoryReserved).state()).toEqual({ status: 'RESERVED' });
  });

  it('fails with the line that could not be held', () => {
    expect(given().when(fail)).toEqual([inventoryFailed]);
    expect(given(inventoryFailed).state()).toEqual({ status: 'FAILED' });
  });

  it('fails for a product that does not exist', () => {
    const unknown = { ...failure, reason: 'UNKNOWN_PRODUCT', available: 0 } as const;

    expect(given().when({ type: 'Fail', ...unknown })).toEqual([
      { type: 'InventoryFailed', data: unknown },
    ]);
  });
});

const release: ReservationCommand = { type: 'Release', orderId: ORDER, lines };
const inventoryReleased: ReservationEvent = {
  type: 'InventoryReleased',
  data: { orderId: ORDER, lines },
};

describe('Release (the order was cancelled)', () => {
  it.each([
    ['not yet decided', []],
    ['reserved', [inventoryReserved]],
  ])('releases a reservation %s', (_, past: ReservationEvent[]) => {
    expect(given(...past).when(release)).toEqual([inventoryReleased]);
  });

  it.each([
    ['failed (its holds went back when it failed)', [inventoryFailed]],
    ['already released', [inventoryReleased]],
  ])('records nothing for a reservation %s', (_, past: ReservationEvent[]) => {
    expect(given(...past).when(release)).toEqual([]);
  });
});

describe.each([
  ['reserved', inventoryReserved],
  ['failed', inventoryFailed],
  ['released', inventoryReleased],
])('a reservation already %s', (_, decided) => {
  it.each([
    ['Confirm', confirm],
    ['Fail', fail],
  ])('records nothing on %s', (_command, command) => {
    expect(given(decided).when(command)).toEqual([]);
  });
});
