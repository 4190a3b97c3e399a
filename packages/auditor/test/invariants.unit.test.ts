import { audit, type Report } from '../src';
import { optionsAt } from './saga-history';
import { HOUR, lines, outcomes, stocked } from './saga-outcomes';

const invariantsIn = (report: Report) => report.violations.map(({ invariant }) => invariant);

describe('audit of consistent histories', () => {
  it.each(Object.entries(outcomes))('finds nothing wrong with %s', (_outcome, write) => {
    const h = write(stocked());

    // An hour later: every reaction the log calls for is overdue, so a missing one would show.
    expect(audit(h.events, optionsAt(h.after(HOUR))).violations).toEqual([]);
  });

  it('finds nothing wrong with all of them in one log, and counts what it read', () => {
    const h = stocked();
    for (const write of Object.values(outcomes)) write(h);

    const report = audit(h.events, optionsAt(h.after(HOUR)));

    expect(report.violations).toEqual([]);
    expect(report.counts).toEqual({ events: h.events.length, orders: 5, products: 2 });
  });

  it('counts a duplicated event (the same envelope id) once', () => {
    const h = outcomes['a completed order']!(stocked());
    const once = audit(h.events, optionsAt(h.now));

    const twice = audit([...h.events, ...h.events.toReversed()], optionsAt(h.now));

    expect(twice).toEqual(once);
    expect(twice.violations).toEqual([]);
  });

  it('leaves orders in flight alone while they are within their deadlines and grace', () => {
    const h = stocked().place('waiting', lines).reserve('waiting');
    h.place('compensating', lines).reserve('compensating').capture('compensating');
    h.place('paying', lines).reserve('paying');
    // A moment ago: inventory's release and payment's refund are still on their way...
    h.cancel('compensating', 'CUSTOMER_CANCELLED');
    // ...and the order has yet to record this capture.
    h.charge('paying');

    expect(audit(h.events, optionsAt(h.after(3_000))).violations).toEqual([]);
  });
});

describe('audit of a planted violation', () => {
  describe('stock-conservation', () => {
    it('reports an adjustment that leaves less than nothing available, once', () => {
      // The reservation after it finds -2 available too, but the news is the adjustment's.
      const h = stocked()
        .adjust('MS', -7)
        .place('o', [{ sku: 'MS', quantity: 1 }])
        .reserve('o');

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['stock-conservation']);
      expect(report.violations[0]!.subject).toBe('product MS');
      expect(report.violations[0]!.message).toMatch(
        /StockAdjusted .*\(-7, RECOUNT\) left -2 available/,
      );
    });

    it('reports a reservation of more than is available', () => {
      const h = stocked()
        .place('big', [{ sku: 'MS', quantity: 6 }])
        .reserve('big');

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['stock-conservation']);
      expect(report.violations[0]!.message).toMatch(/reserved 6 for order big and left -1/);
    });

    it('reports a release of more than the order held', () => {
      const h = stocked()
        .place('o', [{ sku: 'KB', quantity: 2 }])
        .reserve('o');
      h.cancel('o', 'CUSTOMER_CANCELLED');
      h.add('StockReleased', 'KB', { sku: 'KB', orderId: 'o', quantity: 3 });

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['stock-conservation']);
      expect(report.violations[0]!.message).toMatch(/takes back 3 for order o, which held 2/);
    });
  });

  describe('no-double-reservation', () => {
    it('reports stock reserved twice for one order without a release between', () => {
      const h = stocked()
        .place('o', [{ sku: 'KB', quantity: 2 }])
        .reserve('o');
      h.add('StockReserved', 'KB', { sku: 'KB', orderId: 'o', quantity: 2 });

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['no-double-reservation']);
      expect(report.violations[0]!.subject).toBe('product KB');
      expect(report.violations[0]!.message).toMatch(
        /reserved 2 for order o, which still held 2 from StockRes/,
      );
    });

    it('accepts a second reservation after the first was released', () => {
      const h = stocked().place('o', [{ sku: 'KB', quantity: 2 }]);
      h.stock('StockReserved', 'o').stock('StockReleased', 'o').stock('StockReserved', 'o');

      expect(audit(h.events, optionsAt(h.now)).violations).toEqual([]);
    });

    it('reports an order inventory answered twice', () => {
      const h = stocked().place('o', lines).reserve('o');
      h.add('InventoryFailed', 'o', {
        orderId: 'o',
        reason: 'OUT_OF_STOCK',
        sku: 'KB',
        requested: 2,
        available: 0,
      });

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['no-double-reservation']);
      expect(report.violations[0]!.subject).toBe('order o');
      expect(report.violations[0]!.message).toMatch(
        /answered 2 times: InventoryReserved .*, InventoryFailed/,
      );
    });
  });

  describe('terminal-orders-hold-no-stock', () => {
    const cancelledWithoutRelease = () =>
      stocked().place('o', lines).reserve('o').cancel('o', 'CUSTOMER_CANCELLED');

    it('reports a cancelled order still holding stock once the grace has passed', () => {
      const h = cancelledWithoutRelease();

      const report = audit(h.events, optionsAt(h.after(6_000)));

      expect(invariantsIn(report)).toEqual([
        'terminal-orders-hold-no-stock',
        'terminal-orders-hold-no-stock',
      ]);
      expect(report.violations.map(({ message }) => message)).toEqual([
        expect.stringMatching(
          /^Still holds 2 of product KB 6\.0 s after OrderCancelled .*StockReleased/,
        ),
        expect.stringMatching(/^Still holds 1 of product MS/),
      ]);
    });

    it('gives inventory the grace to release it', () => {
      const h = cancelledWithoutRelease();

      expect(audit(h.events, optionsAt(h.after(5_000))).violations).toEqual([]);
    });

    it('reports a completed order whose stock never shipped', () => {
      const h = stocked()
        .place('o', [{ sku: 'KB', quantity: 2 }])
        .reserve('o')
        .capture('o');
      h.ship('o');
      h.add('ShipmentDelivered', 'o', { orderId: 'o', trackingNumber: 'T-1' });
      h.add('OrderCompleted', 'o', { orderId: 'o' });

      const report = audit(h.events, optionsAt(h.after(HOUR)));

      expect(invariantsIn(report)).toEqual(['terminal-orders-hold-no-stock']);
      expect(report.violations[0]!.message).toMatch(
        /after OrderCompleted .*ships \(StockShipped\)/,
      );
    });

    it('reports a partial hold kept after InventoryFailed', () => {
      const h = stocked().place('o', [{ sku: 'KB', quantity: 1 }]);
      h.stock('StockReserved', 'o');
      h.add('InventoryFailed', 'o', {
        orderId: 'o',
        reason: 'UNKNOWN_PRODUCT',
        sku: 'XX',
        requested: 1,
        available: 0,
      });

      const report = audit(h.events, optionsAt(h.after(6_000)));

      expect(invariantsIn(report)).toEqual(['terminal-orders-hold-no-stock']);
      expect(report.violations[0]!.message).toMatch(/partial hold right after InventoryFailed/);
    });
  });

  describe('no-charge-without-capture', () => {
    it('reports a charge the order never recorded once the grace has passed', () => {
      const h = stocked().place('o', lines).reserve('o').charge('o');

      const report = audit(h.events, optionsAt(h.after(10_000)));

      expect(invariantsIn(report)).toEqual(['no-charge-without-capture']);
      expect(report.violations[0]!.subject).toBe('order o');
      expect(report.violations[0]!.message).toMatch(
        /charged the customer 10\.0 s ago, .* never reached PAYMENT_CAPTURED \(it is INVENTORY_RES/,
      );
    });

    it('reports a charge for an order the log does not know', () => {
      const h = stocked().charge('ghost');

      const report = audit(h.events, optionsAt(h.after(HOUR)));

      expect(invariantsIn(report)).toEqual(['no-charge-without-capture']);
      expect(report.violations[0]!.message).toMatch(/the ORDER stream has no such order/);
    });

    it('reports an order that recorded another payment than the one charged', () => {
      const h = stocked().place('o', lines).reserve('o');
      h.charge('o', 'pay-other');
      h.add('OrderPaymentCaptured', 'o', {
        orderId: 'o',
        paymentId: 'pay-o',
        lines: [...lines],
        shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'DE' },
      });

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['no-charge-without-capture']);
      expect(report.violations[0]!.message).toMatch(/charged payment pay-other, but .* pay-o/);
    });
  });

  describe('refund-exactly-once', () => {
    const charged = () => stocked().place('o', lines).reserve('o').capture('o');

    it('reports a cancelled order that was charged and never refunded', () => {
      const h = charged().cancel('o', 'CUSTOMER_CANCELLED').release('o');

      const report = audit(h.events, optionsAt(h.after(HOUR)));

      expect(invariantsIn(report)).toEqual(['refund-exactly-once']);
      expect(report.violations[0]!.subject).toBe('order o');
      expect(report.violations[0]!.message).toMatch(
        /^Charged by PaymentCaptured .* \(CUSTOMER_CANCELLED\) by OrderCancelled .*not refunded/,
      );
    });

    it('reports a refund made twice', () => {
      const h = charged().cancel('o', 'CUSTOMER_CANCELLED').release('o');
      h.refund('o', 'refund-1').refund('o', 'refund-2');

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['refund-exactly-once']);
      expect(report.violations[0]!.message).toMatch(/^Refunded 2 times: PaymentRefunded/);
    });

    it('reports a refund of an order that was never charged', () => {
      const h = stocked().place('o', lines).cancel('o', 'CUSTOMER_CANCELLED').refund('o');

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['refund-exactly-once']);
      expect(report.violations[0]!.message).toMatch(/but never charged/);
    });

    it('reports a refund of a completed order', () => {
      const h = charged().ship('o').deliver('o').refund('o');

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['refund-exactly-once']);
      expect(report.violations[0]!.message).toMatch(/although it completed with OrderCompleted/);
    });

    it('reports an order charged twice and one dispatched twice', () => {
      const h = charged().charge('o', 'pay-again').ship('o');
      h.add('ShipmentDispatched', 'o', { orderId: 'o', carrier: 'sim', trackingNumber: 'T-2' });

      const report = audit(h.events, optionsAt(h.now));

      expect(report.violations.map(({ message }) => message)).toEqual([
        expect.stringMatching(/^Charged 2 times/),
        expect.stringMatching(/^Dispatched 2 times/),
      ]);
      expect(invariantsIn(report)).toEqual(['refund-exactly-once', 'refund-exactly-once']);
    });
  });

  describe('orders-terminate', () => {
    it('reports an order stuck past its deadline and grace', () => {
      const h = stocked().place('o', lines);

      const report = audit(h.events, optionsAt(h.after(35_001)));

      expect(invariantsIn(report)).toEqual(['orders-terminate']);
      expect(report.violations[0]!.subject).toBe('order o');
      expect(report.violations[0]!.message).toMatch(
        /^In CREATED for 35\.0 s since OrderCreated .*, past its 30\.0 s deadline and 5\.0 s grace/,
      );
    });

    it('leaves it alone up to its deadline plus grace', () => {
      const h = stocked().place('o', lines);

      expect(audit(h.events, optionsAt(h.after(35_000))).violations).toEqual([]);
    });

    it('measures each status against its own deadline', () => {
      const h = stocked().place('o', lines).reserve('o').capture('o').ship('o');

      expect(audit(h.events, optionsAt(h.after(600_000))).violations).toEqual([]);
      expect(invariantsIn(audit(h.events, optionsAt(h.after(606_000))))).toEqual([
        'orders-terminate',
      ]);
    });
  });

  describe('valid-transitions', () => {
    it('reports an order event after OrderCompleted', () => {
      const h = stocked().place('o', lines).reserve('o').capture('o').ship('o').deliver('o');
      h.add('OrderShipped', 'o', { orderId: 'o', trackingNumber: 'T-9' });

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['valid-transitions']);
      expect(report.violations[0]!.subject).toBe('order o');
      expect(report.violations[0]!.message).toMatch(
        /^OrderShipped .* is not a valid step: the order was already COMPLETED/,
      );
    });

    it('reports a customer cancellation of a shipped order', () => {
      const h = stocked().place('o', lines).reserve('o').capture('o').ship('o');
      h.cancel('o', 'CUSTOMER_CANCELLED').release('o').refund('o');

      const report = audit(h.events, optionsAt(h.now));

      expect(invariantsIn(report)).toEqual(['valid-transitions']);
      expect(report.violations[0]!.message).toMatch(
        /a SHIPPED order is cancelled only for SHIPMENT_FAILED or TIMED_OUT, not CUSTOMER_CANC/,
      );
    });

    it('accepts a lost parcel cancelling a shipped order', () => {
      const h = stocked().place('o', lines).reserve('o').capture('o').ship('o');
      h.cancel('o', 'SHIPMENT_FAILED').release('o').refund('o');

      expect(audit(h.events, optionsAt(h.after(HOUR))).violations).toEqual([]);
    });

    it('reports a step skipped and an order without OrderCreated', () => {
      const h = stocked().place('o', lines);
      h.add('OrderShipped', 'o', { orderId: 'o', trackingNumber: 'T-1' });
      h.add('OrderCancelled', 'nameless', { orderId: 'nameless', reason: 'TIMED_OUT' });

      const report = audit(h.events, optionsAt(h.now));

      expect(report.violations.map(({ subject }) => subject)).toEqual([
        'order o',
        'order nameless',
      ]);
      expect(report.violations.map(({ message }) => message)).toEqual([
        expect.stringMatching(/moves an order on from PAYMENT_CAPTURED, but .* CREATED/),
        expect.stringMatching(/has no OrderCreated before it/),
      ]);
    });
  });
});
