import type { ShippingAddress } from '../src/application/ports';
import { simulatedCarrier, trackingNumberFor } from '../src/adapters/carrier/simulator';

const addressIn = (postalCode: string): ShippingAddress => ({
  name: 'Alice Doe',
  line1: '1 Main St',
  city: 'Berlin',
  postalCode,
  country: 'DE',
});

const dispatch = (postalCode: string, idempotencyKey = 'dispatch/o-1') =>
  simulatedCarrier({ failureRate: 0 }).dispatch({
    idempotencyKey,
    orderId: 'o-1',
    address: addressIn(postalCode),
    lines: [{ sku: 'KB-001', quantity: 1 }],
  });

const track = (postalCode: string, failureRate: number, roll: number) =>
  simulatedCarrier({ failureRate, random: () => roll }).track({
    trackingNumber: 'SIM000000000001',
    address: addressIn(postalCode),
  });

describe('the simulated carrier', () => {
  it('dispatches with a tracking number derived from the idempotency key', async () => {
    const outcome = await dispatch('10115');

    expect(outcome).toEqual({
      kind: 'dispatched',
      carrier: 'simulated-carrier',
      trackingNumber: trackingNumberFor('dispatch/o-1'),
    });
    expect(trackingNumberFor('dispatch/o-1')).toMatch(/^SIM\d{12}$/);
  });

  it('answers a retried dispatch with the same parcel, and another order with another', async () => {
    // A fresh simulator each time: what a restarted process would answer.
    expect(await dispatch('10115')).toEqual(await dispatch('10115'));
    expect(trackingNumberFor('dispatch/o-2')).not.toBe(trackingNumberFor('dispatch/o-1'));
  });

  it('refuses postal code 00000', async () => {
    expect(await dispatch('00000')).toEqual({
      kind: 'rejected',
      detail: 'the carrier does not serve postal code 00000',
    });
  });

  it('delivers a tracked parcel when the dice spare it', async () => {
    expect(await track('10115', 0, 0)).toEqual({ kind: 'delivered' });
    expect(await track('10115', 0.5, 0.5)).toEqual({ kind: 'delivered' });
  });

  it('loses a tracked parcel with the configured probability', async () => {
    expect(await track('10115', 0.5, 0.49)).toMatchObject({ kind: 'lost' });
    expect(await track('10115', 1, 0.999)).toMatchObject({ kind: 'lost' });
  });

  it('loses every parcel to postal code 99999', async () => {
    expect(await track('99999', 0, 0.5)).toEqual({
      kind: 'lost',
      detail: 'parcel SIM000000000001 was lost on its way to postal code 99999',
    });
  });
});
