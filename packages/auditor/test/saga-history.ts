import { randomUUID } from 'node:crypto';
import {
  subjectOf,
  type Envelope,
  type EventData,
  type EventType,
  type Money,
} from '@orderflow/contracts';
import type { AuditOptions } from '../src';

export interface Line {
  readonly sku: string;
  readonly quantity: number;
}

const price: Money = { amount: 1000, currency: 'USD' };
const address = {
  name: 'Alice Doe',
  line1: '1 Main St',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

/** The order service's default deadlines, and the CLI's default grace. */
export const optionsAt = (now: Date): AuditOptions => ({
  now,
  deadlines: {
    CREATED: 30_000,
    INVENTORY_RESERVED: 30_000,
    PAYMENT_CAPTURED: 60_000,
    SHIPPED: 600_000,
  },
  graceMs: 5_000,
});

/**
 * Writes a log the way the services do: each event on its aggregate's subject with the next
 * aggregateVersion, one second after the one before. The saga steps write what each service
 * writes for that step (docs/saga.md), so a test reads as the story it tells.
 */
export class SagaHistory {
  readonly events: Envelope[] = [];
  private readonly versions = new Map<string, number>();
  private readonly lines = new Map<string, readonly Line[]>();
  private clock: number;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.clock = start;
  }

  /** Just after the last event: nothing is late yet. */
  get now(): Date {
    return new Date(this.clock + 1);
  }

  /** The moment `ms` after the last event. */
  after(ms: number): Date {
    return new Date(this.clock + ms);
  }

  wait(ms: number): this {
    this.clock += ms;
    return this;
  }

  add<T extends EventType>(type: T, aggregateId: string, data: EventData<T>): Envelope {
    const subject = subjectOf(type, aggregateId);
    const aggregateVersion = (this.versions.get(subject) ?? 0) + 1;
    this.versions.set(subject, aggregateVersion);
    this.clock += 1_000;
    const event = {
      id: randomUUID(),
      type,
      version: 1,
      occurredAt: new Date(this.clock).toISOString(),
      aggregateId,
      aggregateVersion,
      // The saga's events correlate by their order.
      correlationId: (data as { orderId?: string }).orderId ?? aggregateId,
      causationId: 'test',
      data,
    } as Envelope;
    this.events.push(event);
    return event;
  }

  // Inventory's products.

  product(sku: string, stock: number): this {
    this.add('ProductUpserted', sku, { sku, name: `Product ${sku}`, price });
    return this.adjust(sku, stock, 'RESTOCK');
  }

  adjust(sku: string, delta: number, reason: 'RESTOCK' | 'RECOUNT' = 'RECOUNT'): this {
    this.add('StockAdjusted', sku, { sku, delta, reason });
    return this;
  }

  stock(type: 'StockReserved' | 'StockReleased' | 'StockShipped', orderId: string): this {
    for (const { sku, quantity } of this.linesOf(orderId)) {
      this.add(type, sku, { sku, orderId, quantity });
    }
    return this;
  }

  // The saga, step by step.

  place(orderId: string, lines: readonly Line[]): this {
    this.lines.set(orderId, lines);
    this.add('OrderCreated', orderId, {
      orderId,
      customerId: 'alice',
      lines: lines.map((line) => ({ ...line, unitPrice: price })),
      total: { ...price, amount: lines.reduce((sum, line) => sum + line.quantity, 0) * 1000 },
      paymentMethod: 'pm_card_visa',
      shippingAddress: address,
      placedAt: new Date(this.clock).toISOString(),
    });
    return this;
  }

  reserve(orderId: string): this {
    this.stock('StockReserved', orderId);
    this.add('InventoryReserved', orderId, { orderId, lines: [...this.linesOf(orderId)] });
    this.add('OrderInventoryReserved', orderId, {
      orderId,
      amount: price,
      paymentMethod: 'pm_card_visa',
    });
    return this;
  }

  /** What payment writes when the provider charges; the order has not seen it yet. */
  charge(orderId: string, paymentId = `pay-${orderId}`): this {
    this.add('PaymentCaptured', orderId, { orderId, paymentId, amount: price, method: 'visa' });
    return this;
  }

  capture(orderId: string): this {
    this.charge(orderId);
    this.add('OrderPaymentCaptured', orderId, {
      orderId,
      paymentId: `pay-${orderId}`,
      lines: [...this.linesOf(orderId)],
      shippingAddress: address,
    });
    return this;
  }

  ship(orderId: string): this {
    this.add('ShipmentDispatched', orderId, { orderId, carrier: 'sim', trackingNumber: 'T-1' });
    this.add('OrderShipped', orderId, { orderId, trackingNumber: 'T-1' });
    return this;
  }

  deliver(orderId: string): this {
    this.add('ShipmentDelivered', orderId, { orderId, trackingNumber: 'T-1' });
    this.add('OrderCompleted', orderId, { orderId });
    return this.stock('StockShipped', orderId);
  }

  cancel(orderId: string, reason: EventData<'OrderCancelled'>['reason']): this {
    this.add('OrderCancelled', orderId, { orderId, reason });
    return this;
  }

  /** Inventory's reaction to OrderCancelled. */
  release(orderId: string): this {
    this.stock('StockReleased', orderId);
    this.add('InventoryReleased', orderId, { orderId, lines: [...this.linesOf(orderId)] });
    return this;
  }

  refund(orderId: string, refundId = `refund-${orderId}`): this {
    this.add('PaymentRefunded', orderId, {
      orderId,
      paymentId: `pay-${orderId}`,
      amount: price,
      refundId,
    });
    return this;
  }

  private linesOf(orderId: string): readonly Line[] {
    const lines = this.lines.get(orderId);
    if (!lines) throw new Error(`place order ${orderId} first`);
    return lines;
  }
}
