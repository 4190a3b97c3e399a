import { subjectOf, type DomainEvent, type Envelope } from '@orderflow/contracts';
import { AggregateRepository, deterministicId, randomId, type Viewer } from '@orderflow/runtime';
import { MemoryEventStore } from '@orderflow/runtime/testing';
import { shipmentDeliveries } from '../src/application/deliveries';
import { orderReactions } from '../src/application/order-reactions';
import type {
  Carrier,
  DispatchRequest,
  ShipmentRepository,
  ShippingAddress,
  TrackingReport,
  TrackRequest,
} from '../src/application/ports';
import { shipmentDecider, type DispatchOutcome } from '../src/domain/shipment';

const ORDER = 'o-1';
const address: ShippingAddress = {
  name: 'Alice Doe',
  line1: '1 Main St',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};
const lines = [{ sku: 'KB-001', quantity: 2 }];
const parcel = { carrier: 'fake-carrier', trackingNumber: 'TRK-1' };
const NOW = new Date('2026-01-01T12:00:00.000Z');
const admin: Viewer = { customerId: 'ops', admin: true, token: '' };
const customer: Viewer = { customerId: 'alice', admin: false, token: '' };

/** An order event as the order service would publish it. */
const fromOrder = <E extends DomainEvent<'OrderPaymentCaptured' | 'OrderCancelled'>>(
  event: E,
): Envelope<E> => ({
  id: randomId(),
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  aggregateId: event.data.orderId,
  aggregateVersion: 3,
  correlationId: event.data.orderId,
  causationId: randomId(),
  ...event,
});

const paymentCaptured = () =>
  fromOrder({
    type: 'OrderPaymentCaptured',
    data: { orderId: ORDER, paymentId: 'pay-1', lines, shippingAddress: address },
  });
const orderCancelled = () =>
  fromOrder({ type: 'OrderCancelled', data: { orderId: ORDER, reason: 'CUSTOMER_CANCELLED' } });

/** A carrier that answers as told and counts what it was asked. */
class FakeCarrier implements Carrier {
  readonly dispatched: DispatchRequest[] = [];
  readonly tracked: TrackRequest[] = [];
  dispatchOutcome: DispatchOutcome = { kind: 'dispatched', ...parcel };
  report: TrackingReport = { kind: 'delivered' };
  unreachable = false;

  async dispatch(request: DispatchRequest) {
    if (this.unreachable) throw new Error('carrier unreachable');
    this.dispatched.push(request);
    return this.dispatchOutcome;
  }

  async track(request: TrackRequest) {
    this.tracked.push(request);
    return this.report;
  }
}

describe('the shipping reactions', () => {
  let store: MemoryEventStore;
  let carrier: FakeCarrier;
  let addresses: Map<string, ShippingAddress>;

  /** A replica: its own repository and cache over the shared log. */
  const replica = () => {
    const shipments: ShipmentRepository = new AggregateRepository(store, shipmentDecider, {
      context: 'shipping',
      aggregate: 'shipment',
    });
    return {
      ...orderReactions(shipments, carrier),
      ...shipmentDeliveries(shipments, carrier, {
        addressOf: async (orderId) => addresses.get(orderId),
      }),
    };
  };
  const shipment = () => store.events(subjectOf('ShipmentDispatched', ORDER));
  const types = () => shipment().map((e) => e.type);

  beforeEach(() => {
    store = new MemoryEventStore();
    carrier = new FakeCarrier();
    addresses = new Map([[ORDER, address]]);
  });

  describe('on OrderPaymentCaptured', () => {
    it('dispatches through the carrier, keyed by the order, caused by the event', async () => {
      const event = paymentCaptured();

      await replica().onOrderPaymentCaptured(event);

      expect(carrier.dispatched).toEqual([
        { idempotencyKey: `dispatch/${ORDER}`, orderId: ORDER, address, lines },
      ]);
      expect(shipment()).toMatchObject([
        {
          type: 'ShipmentDispatched',
          correlationId: ORDER,
          causationId: event.id,
          causationType: 'OrderPaymentCaptured',
          data: { orderId: ORDER, ...parcel },
        },
      ]);
    });

    it('dispatches once, however often the event is delivered and by whichever replica', async () => {
      const event = paymentCaptured();
      const service = replica();

      await service.onOrderPaymentCaptured(event);
      await service.onOrderPaymentCaptured(event);
      await replica().onOrderPaymentCaptured(event);
      // Another message with the same meaning, e.g. a republished event.
      await replica().onOrderPaymentCaptured(paymentCaptured());

      expect(carrier.dispatched).toHaveLength(1);
      expect(types()).toEqual(['ShipmentDispatched']);
    });

    it("records the carrier's refusal and does not ask again", async () => {
      carrier.dispatchOutcome = { kind: 'rejected', detail: 'not served' };

      await replica().onOrderPaymentCaptured(paymentCaptured());
      await replica().onOrderPaymentCaptured(paymentCaptured());

      expect(carrier.dispatched).toHaveLength(1);
      expect(shipment()).toMatchObject([
        {
          type: 'ShipmentFailed',
          data: { orderId: ORDER, reason: 'CARRIER_REJECTED', detail: 'not served' },
        },
      ]);
    });

    it('records nothing while the carrier is unreachable, and dispatches on the retry', async () => {
      const event = paymentCaptured();
      carrier.unreachable = true;

      await expect(replica().onOrderPaymentCaptured(event)).rejects.toThrow(/unreachable/);
      expect(types()).toEqual([]);

      carrier.unreachable = false;
      await replica().onOrderPaymentCaptured(event);
      expect(types()).toEqual(['ShipmentDispatched']);
    });

    it('never dispatches an order whose cancellation was handled first', async () => {
      await replica().onOrderCancelled(orderCancelled());
      await replica().onOrderPaymentCaptured(paymentCaptured());

      expect(carrier.dispatched).toEqual([]);
      expect(types()).toEqual(['ShipmentCancelled']);
    });
  });

  describe('on OrderCancelled', () => {
    it('recalls a dispatched parcel, once', async () => {
      const event = orderCancelled();
      await replica().onOrderPaymentCaptured(paymentCaptured());

      await replica().onOrderCancelled(event);
      await replica().onOrderCancelled(event);

      expect(types()).toEqual(['ShipmentDispatched', 'ShipmentCancelled']);
      expect(shipment()[1]).toMatchObject({ causationId: event.id, correlationId: ORDER });
    });

    it('changes nothing once the parcel was delivered', async () => {
      await replica().onOrderPaymentCaptured(paymentCaptured());
      await replica().deliverDue(ORDER, NOW);

      await replica().onOrderCancelled(orderCancelled());

      expect(types()).toEqual(['ShipmentDispatched', 'ShipmentDelivered']);
    });
  });

  describe('deliverDue', () => {
    beforeEach(async () => {
      await replica().onOrderPaymentCaptured(paymentCaptured());
    });

    it("records the carrier's delivery, caused by the deadline", async () => {
      await replica().deliverDue(ORDER, NOW);

      expect(carrier.tracked).toEqual([{ trackingNumber: parcel.trackingNumber, address }]);
      expect(shipment()[1]).toMatchObject({
        type: 'ShipmentDelivered',
        occurredAt: NOW.toISOString(),
        correlationId: ORDER,
        causationId: deterministicId(`deliver/${ORDER}`),
        causationType: 'deadline',
        data: { orderId: ORDER, trackingNumber: parcel.trackingNumber },
      });
    });

    it('delivers once when the delivery falls due twice', async () => {
      const service = replica();

      await service.deliverDue(ORDER, NOW);
      await service.deliverDue(ORDER, NOW);
      await replica().deliverDue(ORDER, new Date(NOW.getTime() + 500));

      expect(carrier.tracked).toHaveLength(1);
      expect(types()).toEqual(['ShipmentDispatched', 'ShipmentDelivered']);
    });

    it('records one delivery when two replicas deliver at once', async () => {
      await Promise.all([replica().deliverDue(ORDER, NOW), replica().deliverDue(ORDER, NOW)]);

      expect(types()).toEqual(['ShipmentDispatched', 'ShipmentDelivered']);
    });

    it('records a parcel the carrier lost as a failure', async () => {
      carrier.report = { kind: 'lost', detail: 'fell off the truck' };

      await replica().deliverDue(ORDER, NOW);

      expect(shipment()[1]).toMatchObject({
        type: 'ShipmentFailed',
        data: { orderId: ORDER, reason: 'LOST_IN_TRANSIT', detail: 'fell off the truck' },
      });
    });

    it('records nothing while the parcel is in transit, and asks again later', async () => {
      carrier.report = { kind: 'in_transit' };
      await replica().deliverDue(ORDER, NOW);
      expect(types()).toEqual(['ShipmentDispatched']);

      carrier.report = { kind: 'delivered' };
      await replica().deliverDue(ORDER, NOW);
      expect(types()).toEqual(['ShipmentDispatched', 'ShipmentDelivered']);
    });

    it('fails, to be retried, while the address is not known yet', async () => {
      addresses.clear();

      await expect(replica().deliverDue(ORDER, NOW)).rejects.toThrow(/address of order o-1/);
      expect(carrier.tracked).toEqual([]);
      expect(types()).toEqual(['ShipmentDispatched']);
    });

    it('asks nothing about a shipment that is no longer travelling', async () => {
      await replica().onOrderCancelled(orderCancelled());

      await replica().deliverDue(ORDER, NOW);

      expect(carrier.tracked).toEqual([]);
    });
  });

  describe('confirmDelivery', () => {
    it('delivers a dispatched parcel, caused by the request, once', async () => {
      await replica().onOrderPaymentCaptured(paymentCaptured());

      const first = await replica().confirmDelivery(ORDER, admin, 'request-1');
      const second = await replica().confirmDelivery(ORDER, admin, 'request-2');

      expect(first.state).toEqual({ status: 'DELIVERED', parcel });
      expect(first.appended).toHaveLength(1);
      expect(second).toMatchObject({ state: first.state, appended: [] });
      expect(shipment()[1]).toMatchObject({
        type: 'ShipmentDelivered',
        correlationId: ORDER,
        causationId: 'request-1',
        causationType: 'request',
      });
      expect(types()).toEqual(['ShipmentDispatched', 'ShipmentDelivered']);
    });

    it('refuses an order that was never dispatched, writing nothing', async () => {
      await expect(replica().confirmDelivery(ORDER, admin, 'request-1')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(types()).toEqual([]);
    });

    it('refuses a customer with FORBIDDEN, even for their own dispatched order', async () => {
      await replica().onOrderPaymentCaptured(paymentCaptured());

      await expect(replica().confirmDelivery(ORDER, customer, 'request-1')).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/^confirmDelivery needs the admin scope/) as unknown,
      });
      expect(types()).toEqual(['ShipmentDispatched']);
    });
  });
});
