import { DomainError } from '@orderflow/contracts';
import { scenario } from '@orderflow/runtime/testing';
import { shipmentDecider, type ShipmentCommand, type ShipmentEvent } from '../src/domain/shipment';

const ORDER = 'o-1';
const parcel = { carrier: 'simulated-carrier', trackingNumber: 'SIM000000000042' };

const dispatched: ShipmentEvent = {
  type: 'ShipmentDispatched',
  data: { orderId: ORDER, ...parcel },
};
const delivered: ShipmentEvent = {
  type: 'ShipmentDelivered',
  data: { orderId: ORDER, trackingNumber: parcel.trackingNumber },
};
const rejected: ShipmentEvent = {
  type: 'ShipmentFailed',
  data: { orderId: ORDER, reason: 'CARRIER_REJECTED', detail: 'no service' },
};
const lost: ShipmentEvent = {
  type: 'ShipmentFailed',
  data: { orderId: ORDER, reason: 'LOST_IN_TRANSIT', detail: 'gone' },
};
const cancelled: ShipmentEvent = { type: 'ShipmentCancelled', data: { orderId: ORDER } };

const recordDispatched: ShipmentCommand = {
  type: 'RecordDispatch',
  orderId: ORDER,
  outcome: { kind: 'dispatched', ...parcel },
};
const recordRejected: ShipmentCommand = {
  type: 'RecordDispatch',
  orderId: ORDER,
  outcome: { kind: 'rejected', detail: 'no service' },
};
const recordDelivered: ShipmentCommand = {
  type: 'RecordDelivery',
  orderId: ORDER,
  outcome: { kind: 'delivered' },
};
const recordLost: ShipmentCommand = {
  type: 'RecordDelivery',
  orderId: ORDER,
  outcome: { kind: 'lost', detail: 'gone' },
};
const confirm: ShipmentCommand = { type: 'ConfirmDelivery', orderId: ORDER };
const cancel: ShipmentCommand = { type: 'Cancel', orderId: ORDER };

const given = scenario(shipmentDecider);

/** Every status a shipment can be in, reached every way it can be reached. */
const histories: Record<string, readonly ShipmentEvent[]> = {
  NONE: [],
  DISPATCHED: [dispatched],
  DELIVERED: [dispatched, delivered],
  'FAILED at dispatch': [rejected],
  'FAILED in transit': [dispatched, lost],
  'CANCELLED before dispatch': [cancelled],
  'CANCELLED after dispatch': [dispatched, cancelled],
};
const statuses = (names: readonly string[]) =>
  names.map((name) => [name, histories[name]!] as const);
const allBut = (...excluded: string[]) =>
  statuses(Object.keys(histories).filter((name) => !excluded.includes(name)));

describe('the state a history folds to', () => {
  it.each([
    ['NONE', { status: 'NONE' }],
    ['DISPATCHED', { status: 'DISPATCHED', parcel }],
    ['DELIVERED', { status: 'DELIVERED', parcel }],
    ['FAILED at dispatch', { status: 'FAILED', parcel: undefined }],
    ['FAILED in transit', { status: 'FAILED', parcel }],
    ['CANCELLED before dispatch', { status: 'CANCELLED', parcel: undefined }],
    ['CANCELLED after dispatch', { status: 'CANCELLED', parcel }],
  ])('%s', (name, state) => {
    expect(given(...histories[name]!).state()).toEqual(state);
  });
});

describe('RecordDispatch', () => {
  it('records the parcel the carrier took', () => {
    expect(given().when(recordDispatched)).toEqual([dispatched]);
  });

  it("records the carrier's refusal as a failure", () => {
    expect(given().when(recordRejected)).toEqual([rejected]);
  });

  it.each(allBut('NONE'))('records nothing when the shipment is already %s', (_, history) => {
    expect(given(...history).when(recordDispatched)).toEqual([]);
    expect(given(...history).when(recordRejected)).toEqual([]);
  });
});

describe('RecordDelivery', () => {
  it('records the delivery of the dispatched parcel', () => {
    expect(given(dispatched).when(recordDelivered)).toEqual([delivered]);
  });

  it('records a parcel lost in transit as a failure', () => {
    expect(given(dispatched).when(recordLost)).toEqual([lost]);
  });

  it.each(allBut('DISPATCHED'))('records nothing when the shipment is %s', (_, history) => {
    expect(given(...history).when(recordDelivered)).toEqual([]);
    expect(given(...history).when(recordLost)).toEqual([]);
  });
});

describe('ConfirmDelivery', () => {
  it('records the delivery of the dispatched parcel', () => {
    expect(given(dispatched).when(confirm)).toEqual([delivered]);
  });

  it('records nothing for a shipment already delivered', () => {
    expect(given(dispatched, delivered).when(confirm)).toEqual([]);
  });

  it('refuses an order that has no shipment yet as not found', () => {
    const error = given().refusal(confirm);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect((error as Error).message).toMatch(/order o-1 has no shipment yet/);
  });

  it.each(statuses(['FAILED at dispatch', 'FAILED in transit']))(
    'refuses a shipment %s as a conflict',
    (_, history) => {
      const error = given(...history).refusal(confirm);

      expect(error).toMatchObject({ code: 'CONFLICT' });
      expect((error as Error).message).toMatch(/shipment of order o-1 failed/);
    },
  );

  it.each(statuses(['CANCELLED before dispatch', 'CANCELLED after dispatch']))(
    'refuses a shipment %s as a conflict',
    (_, history) => {
      const error = given(...history).refusal(confirm);

      expect(error).toMatchObject({ code: 'CONFLICT' });
      expect((error as Error).message).toMatch(/shipment of order o-1 was cancelled/);
    },
  );
});

describe('Cancel', () => {
  it.each(statuses(['NONE', 'DISPATCHED']))('cancels a shipment that is %s', (_, history) => {
    expect(given(...history).when(cancel)).toEqual([cancelled]);
  });

  it.each(allBut('NONE', 'DISPATCHED'))('records nothing when the shipment is %s', (_, history) => {
    expect(given(...history).when(cancel)).toEqual([]);
  });
});
