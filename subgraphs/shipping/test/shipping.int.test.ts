import {
  encodeEnvelope,
  streams,
  subjectOf,
  type DomainEvent,
  type Envelope,
} from '@orderflow/contracts';
import {
  connectNats,
  deterministicId,
  ensureStream,
  JetStreamEventStore,
  randomId,
  SqliteDocumentStore,
  startServiceAgainst,
  type Nats,
  type RunningService,
} from '@orderflow/runtime';
import {
  bearer,
  developmentToken,
  graphql,
  startTestInfra,
  waitFor,
  type TestInfra,
} from '@orderflow/stack';
import { shippingService } from '../src/service';

/** confirmDelivery needs the admin scope; its refusal of customers is unit tested. */
const admin = bearer(developmentToken('shipping-admin', { admin: true }));

const SHIPMENT_FIELDS =
  'status carrier trackingNumber failureReason dispatchedAt deliveredAt updatedAt';

interface Shipment {
  status: string;
  carrier: string | null;
  trackingNumber: string | null;
  failureReason: string | null;
  dispatchedAt: string | null;
  deliveredAt: string | null;
  updatedAt: string;
}

/** An order event as the order service would publish it. */
const fromOrder = <E extends DomainEvent<'OrderPaymentCaptured' | 'OrderCancelled'>>(
  event: E,
): Envelope<E> => ({
  id: randomId(),
  version: 1,
  occurredAt: new Date().toISOString(),
  aggregateId: event.data.orderId,
  aggregateVersion: 3,
  correlationId: event.data.orderId,
  causationId: randomId(),
  ...event,
});

const paymentCaptured = (orderId: string, postalCode = '10115') =>
  fromOrder({
    type: 'OrderPaymentCaptured',
    data: {
      orderId,
      paymentId: `pay-${orderId}`,
      lines: [{ sku: 'KB-001', quantity: 1 }],
      shippingAddress: {
        name: 'Alice Doe',
        line1: '1 Main St',
        city: 'Berlin',
        postalCode,
        country: 'DE',
      },
    },
  });

const orderCancelled = (orderId: string) =>
  fromOrder({ type: 'OrderCancelled', data: { orderId, reason: 'CUSTOMER_CANCELLED' } });

describe('the shipping service on real servers', () => {
  let infra: TestInfra;
  let nats: Nats;
  let service: RunningService;

  beforeAll(async () => {
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'shipping-int-test');
    await ensureStream(nats.jsm, streams.order);
  });
  afterAll(async () => {
    await nats?.connection.close();
    await infra?.stop();
  });

  it('refuses to start with a setting out of range, naming it', async () => {
    await expect(
      startServiceAgainst(
        shippingService,
        { natsUrl: infra.nats.url, dataDir: infra.dir },
        { SHIPPING_SIMULATOR_FAILURE_RATE: '1.5' },
      ),
    ).rejects.toThrow(/SHIPPING_SIMULATOR_FAILURE_RATE/);
  });

  /** Each block runs its own service on the same servers, as a restart with new settings would. */
  const runShipping = (env: Record<string, string>) => {
    beforeAll(async () => {
      service = await startServiceAgainst(
        shippingService,
        { natsUrl: infra.nats.url, dataDir: infra.dir },
        env,
      );
    });
    afterAll(async () => {
      await service?.stop();
    });
  };

  const publish = async (event: Envelope, msgID = event.id) =>
    (
      await nats.js.publish(subjectOf(event.type, event.aggregateId), encodeEnvelope(event), {
        msgID,
      })
    ).seq;

  /** Until the saga consumer has acknowledged the ORDER message at `seq`: its effects are stored. */
  const sagaHandled = (seq: number) =>
    waitFor(`the saga to handle ORDER message ${seq}`, async () => {
      const info = await nats.jsm.consumers.info(streams.order.name, 'shipping-saga');
      return info.ack_floor.stream_seq >= seq;
    });

  const shipmentLog = async (orderId: string) =>
    (
      await new JetStreamEventStore(nats, streams.shipping.name).read(
        subjectOf('ShipmentDispatched', orderId),
      )
    ).map((e) => e.envelope);

  /** The shipment's events once there are at least `count` of them. */
  const shipmentEvents = async (orderId: string, count: number) => {
    await waitFor(
      `${count} shipping events for ${orderId}`,
      async () => (await shipmentLog(orderId)).length >= count,
    );
    return shipmentLog(orderId);
  };

  const shipmentsOf = async (...orderIds: string[]) => {
    const result = await graphql<{ _entities: { id: string; shipment: Shipment | null }[] }>(
      service.url,
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Order { id shipment { ${SHIPMENT_FIELDS} } } }
      }`,
      { representations: orderIds.map((id) => ({ __typename: 'Order', id })) },
      admin,
    );
    if (!result.data) throw new Error(`_entities failed: ${JSON.stringify(result.errors)}`);
    return result.data._entities;
  };

  const projected = (orderId: string, status: string) =>
    waitFor(
      `the read model to show ${orderId} ${status}`,
      async () => (await shipmentsOf(orderId))[0]?.shipment?.status === status,
    );

  const confirmDelivery = (orderId: string) =>
    graphql<{ confirmDelivery: Shipment }>(
      service.url,
      `mutation ($orderId: ID!) { confirmDelivery(orderId: $orderId) { ${SHIPMENT_FIELDS} } }`,
      { orderId },
      admin,
    );

  describe('with a short delivery delay', () => {
    runShipping({ SHIPPING_DELIVERY_DELAY_MS: '200', SHIPPING_POLL_INTERVAL_MS: '50' });

    it('indexes the read model for the deliveries poller', async () => {
      const documents = service.infrastructure.documents;
      expect(documents).toBeInstanceOf(SqliteDocumentStore);
      const plan = (documents as SqliteDocumentStore).explain('shipments', {
        where: { status: 'DISPATCHED', dispatchedAt: { lte: '2026-01-01T00:00:00.000Z' } },
        orderBy: { dispatchedAt: 'asc' },
        limit: 100,
      });

      expect(plan).toMatch(/USING INDEX shipments__status_asc__dispatchedAt_asc/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    });

    it('dispatches a paid order, then reports it delivered once the delay has passed', async () => {
      const event = paymentCaptured('o-delivered');
      await publish(event);

      const [dispatched, delivered] = await shipmentEvents('o-delivered', 2);

      expect(dispatched).toMatchObject({
        type: 'ShipmentDispatched',
        correlationId: 'o-delivered',
        causationId: event.id,
        data: { orderId: 'o-delivered', carrier: 'simulated-carrier' },
      });
      expect(delivered).toMatchObject({
        type: 'ShipmentDelivered',
        correlationId: 'o-delivered',
        causationId: deterministicId('deliver/o-delivered'),
        causationType: 'deadline',
      });
      const trackingNumber = (dispatched as Envelope<DomainEvent<'ShipmentDispatched'>>).data
        .trackingNumber;
      expect(trackingNumber).toMatch(/^SIM\d{12}$/);
      expect(delivered!.data).toEqual({ orderId: 'o-delivered', trackingNumber });
      expect(
        Date.parse(delivered!.occurredAt) - Date.parse(dispatched!.occurredAt),
      ).toBeGreaterThanOrEqual(200);
    });

    it("shows an order's shipment on the Order entity, null before shipping acted", async () => {
      await publish(paymentCaptured('o-entity'));
      await projected('o-entity', 'DELIVERED');

      const [shipped, unknown] = await shipmentsOf('o-entity', 'o-not-paid');

      expect(shipped).toEqual({
        id: 'o-entity',
        shipment: {
          status: 'DELIVERED',
          carrier: 'simulated-carrier',
          trackingNumber: expect.stringMatching(/^SIM\d{12}$/) as string,
          failureReason: null,
          dispatchedAt: expect.any(String) as string,
          deliveredAt: expect.any(String) as string,
          updatedAt: shipped!.shipment!.deliveredAt,
        },
      });
      expect(unknown).toEqual({ id: 'o-not-paid', shipment: null });
    });

    it('fails a shipment the carrier refuses (postal code 00000)', async () => {
      await publish(paymentCaptured('o-refused', '00000'));

      expect(await shipmentEvents('o-refused', 1)).toMatchObject([
        {
          type: 'ShipmentFailed',
          data: {
            orderId: 'o-refused',
            reason: 'CARRIER_REJECTED',
            detail: 'the carrier does not serve postal code 00000',
          },
        },
      ]);
      await projected('o-refused', 'FAILED');
      expect((await shipmentsOf('o-refused'))[0]?.shipment).toMatchObject({
        failureReason: 'the carrier does not serve postal code 00000',
        carrier: null,
      });
    });

    it('dispatches, then fails a parcel lost in transit (postal code 99999)', async () => {
      await publish(paymentCaptured('o-lost', '99999'));

      expect(await shipmentEvents('o-lost', 2)).toMatchObject([
        { type: 'ShipmentDispatched' },
        { type: 'ShipmentFailed', data: { orderId: 'o-lost', reason: 'LOST_IN_TRANSIT' } },
      ]);
    });

    it('never dispatches an order cancelled before its payment capture was handled', async () => {
      await publish(orderCancelled('o-cancelled'));
      await sagaHandled(await publish(paymentCaptured('o-cancelled')));

      expect((await shipmentLog('o-cancelled')).map((e) => e.type)).toEqual(['ShipmentCancelled']);
    });
  });

  describe('with a poll interval far longer than the delivery delay', () => {
    runShipping({ SHIPPING_DELIVERY_DELAY_MS: '200', SHIPPING_POLL_INTERVAL_MS: '60000' });

    it('delivers when the delay has passed, woken by the dispatch rather than the next poll', async () => {
      await publish(paymentCaptured('o-woken'));

      const [dispatched, delivered] = await shipmentEvents('o-woken', 2);

      const waited = Date.parse(delivered!.occurredAt) - Date.parse(dispatched!.occurredAt);
      expect(waited).toBeGreaterThanOrEqual(200);
      expect(waited).toBeLessThan(5_000);
    });
  });

  describe('when every message is handled twice', () => {
    runShipping({
      SHIPPING_DELIVERY_DELAY_MS: '200',
      SHIPPING_POLL_INTERVAL_MS: '50',
      FAULT_DUPLICATE_DELIVERY: 'true',
    });

    it('dispatches and delivers once', async () => {
      const event = paymentCaptured('o-duplicated');
      await publish(event);
      // The same event again as a new message: what a republish looks like.
      await sagaHandled(await publish(event, `${event.id}-again`));
      await projected('o-duplicated', 'DELIVERED');

      expect((await shipmentLog('o-duplicated')).map((e) => e.type)).toEqual([
        'ShipmentDispatched',
        'ShipmentDelivered',
      ]);
    });
  });

  describe('with a delivery delay of a day', () => {
    runShipping({ SHIPPING_DELIVERY_DELAY_MS: '86400000', SHIPPING_POLL_INTERVAL_MS: '50' });

    it('delivers when an admin confirms it, once however often it is confirmed', async () => {
      await publish(paymentCaptured('o-confirmed'));
      await projected('o-confirmed', 'DISPATCHED');

      const first = await confirmDelivery('o-confirmed');
      const second = await confirmDelivery('o-confirmed');

      expect(first.errors).toBeUndefined();
      expect(first.data?.confirmDelivery).toEqual({
        status: 'DELIVERED',
        carrier: 'simulated-carrier',
        trackingNumber: expect.stringMatching(/^SIM\d{12}$/) as string,
        failureReason: null,
        dispatchedAt: expect.any(String) as string,
        deliveredAt: expect.any(String) as string,
        updatedAt: first.data?.confirmDelivery.deliveredAt,
      });
      expect(second.data?.confirmDelivery).toEqual(first.data?.confirmDelivery);
      expect(await shipmentLog('o-confirmed')).toMatchObject([
        { type: 'ShipmentDispatched' },
        { type: 'ShipmentDelivered', causationType: 'request' },
      ]);
    });

    it('refuses what it cannot deliver with a code and a reason, and writes nothing', async () => {
      await publish(paymentCaptured('o-unserved', '00000'));
      await publish(orderCancelled('o-withdrawn'));
      await shipmentEvents('o-unserved', 1);
      await shipmentEvents('o-withdrawn', 1);

      const refusals = await Promise.all(
        ['o-never-paid', 'o-unserved', 'o-withdrawn', 'not.an.id'].map(confirmDelivery),
      );

      expect(refusals.map((r) => r.errors?.[0]?.extensions?.code)).toEqual([
        'NOT_FOUND',
        'CONFLICT',
        'CONFLICT',
        'BAD_USER_INPUT',
      ]);
      expect(refusals[0]?.errors?.[0]?.message).toMatch(/order o-never-paid has no shipment yet/);
      expect(await shipmentLog('o-never-paid')).toEqual([]);
      expect(await shipmentLog('o-unserved')).toHaveLength(1);
      expect(await shipmentLog('o-withdrawn')).toHaveLength(1);
    });
  });
});
