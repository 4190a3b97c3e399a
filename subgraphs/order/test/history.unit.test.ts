import type { Envelope } from '@orderflow/contracts';
import { historyOf } from '../src/domain/history';
import type { OrderEvent } from '../src/domain/order';

const envelope = (
  version: number,
  event: OrderEvent,
  cause: { type: string; id: string },
): Envelope<OrderEvent> => ({
  id: `event-${version}`,
  version: 1,
  occurredAt: `2026-01-01T10:00:0${version}.000Z`,
  aggregateId: 'order-1',
  aggregateVersion: version,
  correlationId: 'order-1',
  causationId: cause.id,
  causationType: cause.type,
  ...event,
});

describe('an order history', () => {
  it('tells each transition with its time, its event, its cause and why', () => {
    const history = historyOf([
      envelope(
        1,
        {
          type: 'OrderCreated',
          data: {
            orderId: 'order-1',
            customerId: 'alice',
            lines: [{ sku: 'KB-001', quantity: 1, unitPrice: { amount: 100, currency: 'USD' } }],
            total: { amount: 100, currency: 'USD' },
            paymentMethod: 'pm_card_visa',
            shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'DE' },
            placedAt: '2026-01-01T10:00:01.000Z',
          },
        },
        { type: 'request', id: 'req-1' },
      ),
      envelope(
        2,
        {
          type: 'OrderCancelled',
          data: { orderId: 'order-1', reason: 'TIMED_OUT', detail: 'late' },
        },
        { type: 'deadline', id: 'deadline-1' },
      ),
    ]);

    expect(history).toEqual([
      {
        orderId: 'order-1',
        status: 'CREATED',
        previousStatus: null,
        at: '2026-01-01T10:00:01.000Z',
        event: { type: 'OrderCreated', id: 'event-1' },
        cause: { type: 'request', id: 'req-1' },
        reason: null,
        detail: null,
        version: 1,
      },
      {
        orderId: 'order-1',
        status: 'CANCELLED',
        previousStatus: 'CREATED',
        at: '2026-01-01T10:00:02.000Z',
        event: { type: 'OrderCancelled', id: 'event-2' },
        cause: { type: 'deadline', id: 'deadline-1' },
        reason: 'TIMED_OUT',
        detail: 'late',
        version: 2,
      },
    ]);
  });
});
