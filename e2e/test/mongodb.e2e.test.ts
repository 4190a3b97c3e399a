import { waitFor } from '@orderflow/stack';
import { orderInput, sagaReaching, stockReaching, type Client } from './support/orderflow';
import { audit, startTestSystem, type TestSystem } from './support/system';

/** The production store's adapter end to end, on the MongoDB-wire test server. */
describe('the saga with every read model in MongoDB', () => {
  let running: TestSystem;
  let customer: Client;

  beforeAll(async () => {
    running = await startTestSystem({}, { readModels: 'embedded-mongo' });
    customer = running.customer;
    await running.admin.createProduct('MONGO-KB', 8900, 10);
    await stockReaching(customer, 'MONGO-KB', { available: 10, reserved: 0 });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('completes an order, lists it, and leaves a log that passes the audit', async () => {
    expect(running.system.mongoUri).toMatch(/^mongodb:\/\//);
    const { id } = await customer.placeOrder(orderInput([{ sku: 'MONGO-KB', quantity: 2 }]));

    await sagaReaching(customer, id, 'shipped', (order) => order.status === 'SHIPPED');
    await running.admin.confirmDelivery(id);
    const done = await sagaReaching(customer, id, 'completed', (o) => o.status === 'COMPLETED');
    expect(done.payment).toMatchObject({ status: 'CAPTURED', amount: { amount: 17800 } });
    expect(done.shipment?.status).toBe('DELIVERED');
    await stockReaching(customer, 'MONGO-KB', { available: 8, reserved: 0 });

    const listed = await customer.raw('{ orders(first: 5) { edges { node { id } } } }');
    expect(JSON.stringify(listed.data)).toContain(id);

    // Analytics' views, sketches included, on the same adapter.
    await waitFor('the analytics views to count the order', async () => {
      const answer = await running.admin.raw(
        '{ metrics(window: { minutes: 60 }) { ordersPlaced ordersCompleted sagaDuration { count p50 } revenue { currency total } } }',
      );
      return JSON.stringify(answer.data).includes(
        '{"ordersPlaced":1,"ordersCompleted":1,"sagaDuration":{"count":1,',
      );
    });

    const { exitCode, output } = audit(running.system.natsAccess('auditor'));
    expect(output).toMatch(/no violations/);
    expect(exitCode).toBe(0);
  });
});
