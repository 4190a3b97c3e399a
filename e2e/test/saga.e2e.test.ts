import {
  orderInput,
  orderReaching,
  sagaReaching,
  stockReaching,
  type Client,
} from './support/orderflow';
import { audit, startTestSystem, type TestSystem } from './support/system';

describe('the whole saga through the gateway, with every service', () => {
  let running: TestSystem;
  let customer: Client;
  let skuCounter = 0;

  /** A product of this test's own, so stock assertions never depend on another test. */
  const product = async (stock: number) => {
    const sku = `SAGA-${++skuCounter}`;
    await running.admin.createProduct(sku, 1500, stock);
    await stockReaching(customer, sku, { available: stock, reserved: 0 });
    return sku;
  };

  beforeAll(async () => {
    running = await startTestSystem();
    customer = running.customer;
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('completes an order: payment CAPTURED, shipment DELIVERED, stock shipped out', async () => {
    const sku = await product(10);
    const { id } = await customer.placeOrder(orderInput([{ sku, quantity: 4 }]));

    const shipped = await sagaReaching(
      customer,
      id,
      'shipped',
      (order) => order.status === 'SHIPPED',
    );
    expect(shipped.payment).toMatchObject({ status: 'CAPTURED', amount: { amount: 6000 } });
    expect(shipped.shipment?.status).toBe('DISPATCHED');
    expect(shipped.shipment?.trackingNumber).toBeTruthy();
    await stockReaching(customer, sku, { available: 6, reserved: 4 });

    await running.admin.confirmDelivery(id);
    const done = await sagaReaching(
      customer,
      id,
      'completed',
      (order) => order.status === 'COMPLETED',
    );
    expect(done.shipment?.status).toBe('DELIVERED');
    expect(done.history.map((change) => change.status)).toEqual([
      'CREATED',
      'INVENTORY_RESERVED',
      'PAYMENT_CAPTURED',
      'SHIPPED',
      'COMPLETED',
    ]);
    await stockReaching(customer, sku, { available: 6, reserved: 0 });
  });

  it('cancels as PAYMENT_DECLINED on a declined card and releases the stock', async () => {
    const sku = await product(5);
    const { id } = await customer.placeOrder(
      orderInput([{ sku, quantity: 2 }], { paymentMethod: 'pm_card_chargeDeclined' }),
    );

    const order = await sagaReaching(customer, id, 'cancelled', (o) => o.status === 'CANCELLED');
    expect(order.failureReason).toBe('PAYMENT_DECLINED');
    expect(order.payment?.status).toBe('FAILED');
    await stockReaching(customer, sku, { available: 5, reserved: 0 });
  });

  it('cancels as OUT_OF_STOCK and moves no stock', async () => {
    const inStock = await product(5);
    const empty = await product(0);
    const { id } = await customer.placeOrder(
      orderInput([
        { sku: inStock, quantity: 1 },
        { sku: empty, quantity: 1 },
      ]),
    );

    // Payment never charged; it closes the order's payment so that nothing can charge it later.
    const order = await sagaReaching(
      customer,
      id,
      'cancelled, with its payment closed',
      (o) => o.status === 'CANCELLED' && o.payment?.status === 'CANCELLED',
    );
    expect(order.failureReason).toBe('OUT_OF_STOCK');
    await stockReaching(customer, inStock, { available: 5, reserved: 0 });
  });

  it('refunds once and releases the stock when the customer cancels after capture', async () => {
    const sku = await product(5);
    // Shipping is down, so the order waits at PAYMENT_CAPTURED for the customer to cancel.
    await running.system.services.shipping!.process.stop();
    const { id } = await customer.placeOrder(orderInput([{ sku, quantity: 3 }]));
    await orderReaching(customer, id, 'PAYMENT_CAPTURED');

    const { cancelOrder } = await customer.cancelOrder(id, 'found it cheaper');
    expect(cancelOrder.status).toBe('CANCELLED');
    await running.system.services.shipping!.restart();

    const order = await sagaReaching(
      customer,
      id,
      'refunded and recalled',
      (o) => o.payment?.status === 'REFUNDED' && o.shipment?.status === 'CANCELLED',
    );
    expect(order.failureReason).toBe('CUSTOMER_CANCELLED');
    expect(order.payment?.refundId).toBeTruthy();
    await stockReaching(customer, sku, { available: 5, reserved: 0 });
  });

  it('refuses to cancel a shipped order with a CONFLICT that says why', async () => {
    const sku = await product(5);
    const { id } = await customer.placeOrder(orderInput([{ sku, quantity: 1 }]));
    await orderReaching(customer, id, 'SHIPPED');

    const refused = await customer.raw(`mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, {
      id,
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/can no longer be cancelled/);
  });

  it('refunds and releases when the carrier rejects the shipment', async () => {
    const sku = await product(5);
    const { id } = await customer.placeOrder(
      orderInput([{ sku, quantity: 2 }], { postalCode: '00000' }),
    );

    const order = await sagaReaching(
      customer,
      id,
      'cancelled and refunded',
      (o) => o.status === 'CANCELLED' && o.payment?.status === 'REFUNDED',
    );
    expect(order.failureReason).toBe('SHIPMENT_FAILED');
    expect(order.shipment?.status).toBe('FAILED');
    await stockReaching(customer, sku, { available: 5, reserved: 0 });
  });

  it('times out an order whose payment service is down, and compensates its late answer', async () => {
    const sku = await product(5);
    await running.system.services.payment!.process.stop();
    const { id } = await customer.placeOrder(orderInput([{ sku, quantity: 2 }]));

    const timedOut = await orderReaching(customer, id, 'CANCELLED');
    expect(timedOut.failureReason).toBe('TIMED_OUT');
    expect(timedOut.failureDetail).toMatch(/waiting for payment/);
    await stockReaching(customer, sku, { available: 5, reserved: 0 });

    // Back up, payment works through its backlog: it captures, then sees the cancellation.
    await running.system.services.payment!.restart();
    const order = await sagaReaching(
      customer,
      id,
      'refunded',
      (o) => o.payment?.status === 'REFUNDED',
    );
    expect(order.status).toBe('CANCELLED');
    expect(order.history.at(-1)).toMatchObject({
      status: 'CANCELLED',
      cause: { type: 'deadline' },
    });
  });

  it('leaves a log in which every invariant holds', () => {
    const { exitCode, output } = audit(running.system.natsAccess('auditor'));
    expect(output).toMatch(/no violations/);
    expect(exitCode).toBe(0);
  });
});
