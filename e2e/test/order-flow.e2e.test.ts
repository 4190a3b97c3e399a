import {
  orderInput,
  orderReaching,
  stockReaching,
  streamMessages,
  type Client,
} from './support/orderflow';
import { audit, startTestSystem, type TestSystem } from './support/system';

describe('an order through the gateway, across order and inventory', () => {
  let running: TestSystem;
  let customer: Client;
  const bus = () => running.system.natsAccess();

  beforeAll(async () => {
    running = await startTestSystem();
    customer = running.customer;
    await running.admin.createProduct('E2E-KB', 8900, 10);
    await running.admin.createProduct('E2E-MS', 2900, 5);
    await running.admin.createProduct('E2E-CAM', 12900, 0);
    await stockReaching(customer, 'E2E-MS', { available: 5, reserved: 0 });
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('reserves stock for an in-stock order, which then moves on to SHIPPED still holding it', async () => {
    const placed = await customer.placeOrder(
      orderInput([
        { sku: 'E2E-KB', quantity: 3 },
        { sku: 'E2E-MS', quantity: 2 },
      ]),
    );
    expect(placed.status).toBe('CREATED');

    // Deliveries wait for confirmDelivery here, so the order rests at SHIPPED.
    const order = await orderReaching(customer, placed.id, 'SHIPPED');
    expect(order.total).toEqual({ amount: 3 * 8900 + 2 * 2900, currency: 'USD' });
    // Product fields come from the inventory subgraph, joined by the gateway.
    expect(order.lines.map((line) => line.product.name).sort()).toEqual([
      'Product E2E-KB',
      'Product E2E-MS',
    ]);
    await stockReaching(customer, 'E2E-KB', { available: 7, reserved: 3 });
    await stockReaching(customer, 'E2E-MS', { available: 3, reserved: 2 });
  });

  it('cancels an order with an out-of-stock line as OUT_OF_STOCK and moves no stock', async () => {
    const before = await customer.product('E2E-MS');
    const placed = await customer.placeOrder(
      orderInput([
        { sku: 'E2E-MS', quantity: 1 },
        { sku: 'E2E-CAM', quantity: 1 },
      ]),
    );

    const order = await orderReaching(customer, placed.id, 'CANCELLED');
    expect(order.failureReason).toMatch(/OUT_OF_STOCK/);
    await stockReaching(customer, 'E2E-CAM', { available: 0, reserved: 0 });
    await stockReaching(customer, 'E2E-MS', {
      available: before!.available,
      reserved: before!.reserved,
    });
  });

  it.each([
    ['an unknown SKU', [{ sku: 'NO-SUCH-SKU', quantity: 1 }], /NO-SUCH-SKU/],
    ['a quantity of 0', [{ sku: 'E2E-KB', quantity: 0 }], /quantity/i],
    ['a quantity above 1000', [{ sku: 'E2E-KB', quantity: 1001 }], /quantity/i],
    [
      'more than 50 lines',
      Array.from({ length: 51 }, (_, i) => ({ sku: `E2E-${i}`, quantity: 1 })),
      /50/,
    ],
  ])('rejects %s with BAD_USER_INPUT and writes no event', async (_case, lines, message) => {
    const eventsBefore = await streamMessages(bus(), 'ORDER');
    const result = await customer.raw(
      `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`,
      { input: orderInput(lines) },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(message);
    expect(JSON.stringify(result.errors)).not.toMatch(/stacktrace/);
    expect(await streamMessages(bus(), 'ORDER')).toBe(eventsBefore);
  });

  it('returns the same order for a retried idempotencyKey instead of placing a second one', async () => {
    const input = orderInput([{ sku: 'E2E-KB', quantity: 1 }], { idempotencyKey: 'checkout-42' });
    const first = await customer.placeOrder(input);
    await orderReaching(customer, first.id, 'SHIPPED');
    const eventsBefore = await streamMessages(bus(), 'ORDER');

    const retried = await customer.placeOrder(input);
    expect(retried).toEqual({ id: first.id, status: 'SHIPPED' });
    expect(await streamMessages(bus(), 'ORDER')).toBe(eventsBefore);
  });

  it('leaves a log in which every invariant holds', () => {
    const { exitCode, output } = audit(running.system.natsAccess('auditor'));
    expect(output).toMatch(/no violations/);
    expect(exitCode).toBe(0);
  });
});
