import { streams } from '@orderflow/contracts';
import { connectNats } from '@orderflow/runtime';
import type { NatsAccess } from '@orderflow/stack';
import { orderInput, sagaReaching, stockReaching, type Client } from './support/orderflow';
import { audit, startTestSystem, type TestSystem } from './support/system';

/** Every event of `type` in a stream, counted from the log itself. */
const countEvents = async (bus: NatsAccess, stream: string, type: string) => {
  const { connection, js } = await connectNats(bus, 'count-events');
  try {
    const consumer = await js.consumers.get(stream);
    let count = 0;
    const pending = (await consumer.info()).num_pending;
    if (pending === 0) return 0;
    const messages = await consumer.fetch({ max_messages: pending });
    for await (const message of messages) {
      if (message.json<{ type: string }>().type === type) count++;
      if (message.info.pending === 0) break;
    }
    return count;
  } finally {
    await connection.close();
  }
};

describe('the saga with every message delivered twice', () => {
  let running: TestSystem;
  let customer: Client;

  beforeAll(async () => {
    running = await startTestSystem({ FAULT_DUPLICATE_DELIVERY: 'true' });
    customer = running.customer;
    await running.admin.createProduct('DUP-1', 1000, 10);
    await stockReaching(customer, 'DUP-1', { available: 10, reserved: 0 });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('reserves, charges, dispatches and refunds exactly once', async () => {
    const { id: kept } = await customer.placeOrder(orderInput([{ sku: 'DUP-1', quantity: 2 }]));
    const { id: second } = await customer.placeOrder(orderInput([{ sku: 'DUP-1', quantity: 3 }]));
    await sagaReaching(customer, kept, 'shipped', (o) => o.status === 'SHIPPED');
    await sagaReaching(customer, second, 'shipped', (o) => o.status === 'SHIPPED');
    const { id: declined } = await customer.placeOrder(
      orderInput([{ sku: 'DUP-1', quantity: 1 }], { paymentMethod: 'pm_card_chargeDeclined' }),
    );
    await sagaReaching(customer, declined, 'declined', (o) => o.status === 'CANCELLED');
    const { id: lost } = await customer.placeOrder(
      orderInput([{ sku: 'DUP-1', quantity: 1 }], { postalCode: '00000' }),
    );
    await sagaReaching(customer, lost, 'refunded', (o) => o.payment?.status === 'REFUNDED');

    await stockReaching(customer, 'DUP-1', { available: 5, reserved: 5 });
    const bus = running.system.natsAccess();
    expect(await countEvents(bus, streams.inventory.name, 'StockReserved')).toBe(4);
    expect(await countEvents(bus, streams.payment.name, 'PaymentCaptured')).toBe(3);
    expect(await countEvents(bus, streams.payment.name, 'PaymentRefunded')).toBe(1);
    expect(await countEvents(bus, streams.shipping.name, 'ShipmentDispatched')).toBe(2);
  });

  it('leaves a log in which every invariant holds', () => {
    const { exitCode, output } = audit(running.system.natsAccess('auditor'));
    expect(output).toMatch(/no violations/);
    expect(exitCode).toBe(0);
  });
});
