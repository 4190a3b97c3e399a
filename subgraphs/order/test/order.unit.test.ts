import { DomainError, type Money } from '@orderflow/contracts';
import { scenario } from '@orderflow/runtime/testing';
import {
  orderDecider,
  type CancellationReason,
  type OrderCommand,
  type OrderEvent,
  type OrderStatus,
  type PlaceOrder,
  type SagaAnswer,
  type WaitingStatus,
} from '../src/domain/order';

const usd = (amount: number): Money => ({ amount, currency: 'USD' });

const placement: PlaceOrder = {
  type: 'PlaceOrder',
  orderId: 'order-1',
  customerId: 'alice',
  lines: [
    { sku: 'KB-001', quantity: 2 },
    { sku: 'MS-002', quantity: 1 },
  ],
  prices: { 'KB-001': usd(8900), 'MS-002': usd(2900) },
  paymentMethod: 'pm_card_visa',
  shippingAddress: {
    name: 'Alice Doe',
    line1: '1 Main St',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  },
  placedAt: '2026-01-01T10:00:00.000Z',
};

const place = (changes: Partial<PlaceOrder> = {}): PlaceOrder => ({ ...placement, ...changes });

const pricedLines = [
  { sku: 'KB-001', quantity: 2, unitPrice: usd(8900) },
  { sku: 'MS-002', quantity: 1, unitPrice: usd(2900) },
];

const created: OrderEvent = {
  type: 'OrderCreated',
  data: {
    orderId: 'order-1',
    customerId: 'alice',
    lines: pricedLines,
    total: usd(20700),
    paymentMethod: 'pm_card_visa',
    shippingAddress: placement.shippingAddress,
    placedAt: '2026-01-01T10:00:00.000Z',
  },
};
const reserved: OrderEvent = {
  type: 'OrderInventoryReserved',
  data: { orderId: 'order-1', amount: usd(20700), paymentMethod: 'pm_card_visa' },
};
const captured: OrderEvent = {
  type: 'OrderPaymentCaptured',
  data: {
    orderId: 'order-1',
    paymentId: 'pay-1',
    lines: [
      { sku: 'KB-001', quantity: 2 },
      { sku: 'MS-002', quantity: 1 },
    ],
    shippingAddress: placement.shippingAddress,
  },
};
const shipped: OrderEvent = {
  type: 'OrderShipped',
  data: { orderId: 'order-1', trackingNumber: 'SIM123' },
};
const completed: OrderEvent = { type: 'OrderCompleted', data: { orderId: 'order-1' } };
const cancelledFor = (reason: CancellationReason, detail?: string): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId: 'order-1', reason, ...(detail === undefined ? {} : { detail }) },
});
const cancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId: 'order-1', reason: 'OUT_OF_STOCK', detail: 'KB-001: requested 2, available 0' },
};

const confirm: OrderCommand = { type: 'ConfirmInventory', orderId: 'order-1' };
const reject: OrderCommand = {
  type: 'RejectInventory',
  orderId: 'order-1',
  detail: 'KB-001: requested 2, available 0',
};

/** Histories that leave the order in each status. */
const inStatus: Record<OrderStatus, OrderEvent[]> = {
  CREATED: [created],
  INVENTORY_RESERVED: [created, reserved],
  PAYMENT_CAPTURED: [created, reserved, captured],
  SHIPPED: [created, reserved, captured, shipped],
  COMPLETED: [created, reserved, captured, shipped, completed],
  CANCELLED: [created, cancelled],
};
const statuses = Object.keys(inStatus) as OrderStatus[];

const stateAfter = (past: readonly OrderEvent[]) => scenario(orderDecider)(...past).state();

/** Given these past events, when this command is decided: the new events. */
const given = (past: readonly OrderEvent[], command: OrderCommand) =>
  scenario(orderDecider)(...past).when(command);

/** Given these past events, when this command is decided: the error that rejects it. */
const rejection = (past: readonly OrderEvent[], command: OrderCommand) => {
  const error = scenario(orderDecider)(...past).refusal(command);
  if (!(error instanceof DomainError)) throw error;
  return error;
};

const badInput = (command: PlaceOrder, ...fragments: string[]) => {
  const error = rejection([], command);
  expect(error.code).toBe('BAD_USER_INPUT');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
};

describe('PlaceOrder', () => {
  it('creates the order with each line at its catalog price, and the total', () => {
    expect(given([], place())).toEqual([created]);
  });

  it('rejects an order without lines', () => {
    badInput(place({ lines: [] }), 'an order has 1 to 50 lines; this one has 0');
  });

  it('rejects an order with more than 50 lines', () => {
    const lines = Array.from({ length: 51 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));
    const prices = Object.fromEntries(lines.map((line) => [line.sku, usd(100)]));
    badInput(place({ lines, prices }), 'this one has 51');
  });

  it.each([0, 1001, 1.5, -3])('rejects quantity %p, naming the line', (quantity) => {
    badInput(
      place({ lines: [{ sku: 'MS-002', quantity }] }),
      `line 1 (MS-002): quantity must be a whole number from 1 to 1000, not ${quantity}`,
    );
  });

  it('rejects a SKU that appears on two lines', () => {
    const lines = [
      { sku: 'KB-001', quantity: 1 },
      { sku: 'MS-002', quantity: 1 },
      { sku: 'KB-001', quantity: 3 },
    ];
    badInput(place({ lines }), 'line 3 (KB-001): already on line 1');
  });

  it('rejects a SKU the catalog has no price for', () => {
    badInput(
      place({ lines: [{ sku: 'NOPE-1', quantity: 1 }] }),
      'line 1 (NOPE-1): there is no product with this SKU in the catalog',
    );
  });

  it('does not take a SKU named like an Object.prototype member for a priced one', () => {
    badInput(place({ lines: [{ sku: 'constructor', quantity: 1 }] }), 'line 1 (constructor)');
  });

  it('rejects lines priced in different currencies', () => {
    badInput(
      place({ prices: { 'KB-001': usd(8900), 'MS-002': { amount: 2900, currency: 'EUR' } } }),
      'line 2 (MS-002) is priced in EUR but line 1 (KB-001) in USD',
    );
  });

  it('rejects an empty payment method', () => {
    badInput(place({ paymentMethod: ' ' }), 'paymentMethod must not be empty');
  });

  it('rejects a payment method with a control character', () => {
    badInput(place({ paymentMethod: 'pm_card_visa\u0007' }), 'paymentMethod must be plain text');
  });

  it('rejects a payment method too long to travel in an event', () => {
    badInput(
      place({ paymentMethod: 'x'.repeat(1_000_000) }),
      'paymentMethod must be at most 64 characters, not 1000000',
    );
  });

  it.each([
    ['an empty name', { name: '' }, 'shippingAddress.name must not be empty'],
    ['a long line1', { line1: 'x'.repeat(201) }, 'shippingAddress.line1 must be at most 200'],
    ['an empty postal code', { postalCode: '' }, 'shippingAddress.postalCode must not be empty'],
    ['a lowercase country', { country: 'de' }, 'shippingAddress.country must be an ISO 3166-1'],
    ['a 3-letter country', { country: 'DEU' }, 'shippingAddress.country must be an ISO 3166-1'],
    ['a NUL in the name', { name: 'Ada\u0000' }, 'shippingAddress.name must be plain text'],
    [
      'a line break in line1',
      { line1: '1 Way\r\nX-Injected: yes' },
      'shippingAddress.line1 must be plain text',
    ],
    [
      'a bidi override in the city',
      { city: 'Lon\u202edon' },
      'shippingAddress.city must be plain text',
    ],
    [
      'an unpaired surrogate',
      { postalCode: 'N1\ud800' },
      'shippingAddress.postalCode must be plain text',
    ],
  ])('rejects an address with %s', (_what, change, message) => {
    badInput(place({ shippingAddress: { ...placement.shippingAddress, ...change } }), message);
  });

  it('reports every problem of an order at once', () => {
    badInput(
      place({
        lines: [
          { sku: 'KB-001', quantity: 0 },
          { sku: 'NOPE-1', quantity: 1 },
        ],
        paymentMethod: '',
        shippingAddress: { ...placement.shippingAddress, city: '' },
      }),
      'line 1 (KB-001): quantity',
      'line 2 (NOPE-1): there is no product',
      'paymentMethod',
      'shippingAddress.city',
    );
  });

  it('rejects a total larger than the API can carry', () => {
    badInput(
      place({ prices: { 'KB-001': usd(2_000_000_000), 'MS-002': usd(2900) } }),
      "the order's total of 4000002900 minor units",
    );
  });

  describe('when the order already exists', () => {
    it('decides nothing for the same placement, in any line order (an idempotent retry)', () => {
      const retry = place({ lines: [...placement.lines].reverse() });
      expect(given([created], retry)).toEqual([]);
      expect(given([created, reserved], retry)).toEqual([]);
    });

    it('still takes the original placement when prices changed since', () => {
      expect(given([created], place({ prices: {} }))).toEqual([]);
    });

    it.each([
      [
        'another quantity',
        {
          lines: [
            { sku: 'KB-001', quantity: 3 },
            { sku: 'MS-002', quantity: 1 },
          ],
        },
      ],
      ['fewer lines', { lines: [{ sku: 'KB-001', quantity: 2 }] }],
      ['another payment method', { paymentMethod: 'pm_card_chargeDeclined' }],
      ['another address', { shippingAddress: { ...placement.shippingAddress, city: 'Paris' } }],
    ])('is a CONFLICT with %s', (_what, changes: Partial<PlaceOrder>) => {
      const error = rejection([created], place(changes));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('idempotencyKey');
      expect(error.message).toContain('was already used for a different order');
    });
  });
});

describe('the saga answers', () => {
  const answers: [SagaAnswer, OrderStatus, OrderEvent[]][] = [
    [confirm, 'CREATED', [reserved]],
    [reject, 'CREATED', [cancelled]],
    [
      { type: 'ConfirmPayment', orderId: 'order-1', paymentId: 'pay-1' },
      'INVENTORY_RESERVED',
      [captured],
    ],
    [
      { type: 'RejectPayment', orderId: 'order-1', detail: 'your card was declined' },
      'INVENTORY_RESERVED',
      [cancelledFor('PAYMENT_DECLINED', 'your card was declined')],
    ],
    [
      { type: 'ConfirmDispatch', orderId: 'order-1', trackingNumber: 'SIM123' },
      'PAYMENT_CAPTURED',
      [shipped],
    ],
    [{ type: 'ConfirmDelivery', orderId: 'order-1' }, 'SHIPPED', [completed]],
  ];

  describe.each(answers)('%j', (command, waitingIn, decided) => {
    it(`moves an order that is ${waitingIn}`, () => {
      expect(given(inStatus[waitingIn], command)).toEqual(decided);
    });

    it.each(statuses.filter((status) => status !== waitingIn))(
      'decides nothing for an order that is %s (a late or repeated answer)',
      (status) => {
        expect(given(inStatus[status], command)).toEqual([]);
      },
    );

    it('decides nothing for an order never placed', () => {
      expect(given([], command)).toEqual([]);
    });
  });

  describe('RejectShipment', () => {
    const lost: OrderCommand = { type: 'RejectShipment', orderId: 'order-1', detail: 'lost' };

    it.each(['PAYMENT_CAPTURED', 'SHIPPED'] as const)(
      'cancels an order that is %s as SHIPMENT_FAILED',
      (status) => {
        expect(given(inStatus[status], lost)).toEqual([cancelledFor('SHIPMENT_FAILED', 'lost')]);
      },
    );

    it.each(['CREATED', 'INVENTORY_RESERVED', 'COMPLETED', 'CANCELLED'] as const)(
      'decides nothing for an order that is %s',
      (status) => {
        expect(given(inStatus[status], lost)).toEqual([]);
      },
    );
  });
});

describe('CancelOrder', () => {
  const cancelOrder = (reason?: string): OrderCommand => ({
    type: 'CancelOrder',
    orderId: 'order-1',
    reason,
  });

  it.each(['CREATED', 'INVENTORY_RESERVED', 'PAYMENT_CAPTURED'] as const)(
    "cancels an order that is %s, with the customer's reason",
    (status) => {
      expect(given(inStatus[status], cancelOrder('changed my mind'))).toEqual([
        cancelledFor('CUSTOMER_CANCELLED', 'changed my mind'),
      ]);
    },
  );

  it('decides nothing for a cancelled order', () => {
    expect(given(inStatus.CANCELLED, cancelOrder())).toEqual([]);
  });

  it.each(['SHIPPED', 'COMPLETED'] as const)(
    'refuses an order that is %s with CONFLICT',
    (status) => {
      const error = rejection(inStatus[status], cancelOrder());
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toBe(
        `order order-1 is ${status} and can no longer be cancelled; an order can be cancelled until it ships`,
      );
    },
  );

  it('is NOT_FOUND for an order never placed', () => {
    expect(rejection([], cancelOrder()).code).toBe('NOT_FOUND');
  });
});

describe('TimeOut', () => {
  const timeOut = (status: WaitingStatus): OrderCommand => ({
    type: 'TimeOut',
    orderId: 'order-1',
    status,
    detail: 'no answer within 30 s',
  });

  it.each(['CREATED', 'INVENTORY_RESERVED', 'PAYMENT_CAPTURED', 'SHIPPED'] as const)(
    'cancels an order still %s as TIMED_OUT',
    (status) => {
      expect(given(inStatus[status], timeOut(status))).toEqual([
        cancelledFor('TIMED_OUT', 'no answer within 30 s'),
      ]);
    },
  );

  it('decides nothing once the order moved on from the status that timed out', () => {
    expect(given(inStatus.INVENTORY_RESERVED, timeOut('CREATED'))).toEqual([]);
    expect(given(inStatus.COMPLETED, timeOut('SHIPPED'))).toEqual([]);
    expect(given(inStatus.CANCELLED, timeOut('CREATED'))).toEqual([]);
  });
});

describe('the order state', () => {
  it('is null before the order is placed', () => {
    expect(stateAfter([])).toBeNull();
  });

  it('holds the placement once created', () => {
    expect(stateAfter([created])).toEqual({
      id: 'order-1',
      status: 'CREATED',
      customerId: 'alice',
      lines: pricedLines,
      total: usd(20700),
      paymentMethod: 'pm_card_visa',
      shippingAddress: placement.shippingAddress,
      createdAt: '2026-01-01T10:00:00.000Z',
    });
  });

  it('follows the status and keeps why an order was cancelled', () => {
    for (const status of statuses) expect(stateAfter(inStatus[status])?.status).toBe(status);
    expect(stateAfter(inStatus.SHIPPED)).toMatchObject({
      paymentId: 'pay-1',
      trackingNumber: 'SIM123',
    });
    expect(stateAfter([created, cancelled])).toMatchObject({
      status: 'CANCELLED',
      failureReason: 'OUT_OF_STOCK',
      failureDetail: 'KB-001: requested 2, available 0',
    });
  });
});
