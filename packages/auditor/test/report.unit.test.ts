import { formatReport } from '../src';

const counts = { events: 42, orders: 5, products: 2 };

describe('formatReport', () => {
  it('says so in one line when there is nothing wrong', () => {
    expect(formatReport({ violations: [], counts })).toBe(
      'audited 42 events: 5 orders, 2 products; no violations',
    );
  });

  it('groups violations under their invariant, one line each, then the summary', () => {
    const text = formatReport({
      violations: [
        { invariant: 'refund-exactly-once', subject: 'order a', message: 'Refunded 2 times' },
        { invariant: 'orders-terminate', subject: 'order b', message: 'In CREATED for 40.0 s' },
        { invariant: 'refund-exactly-once', subject: 'order c', message: 'Charged 2 times' },
      ],
      counts: { events: 1, orders: 1, products: 1 },
    });

    expect(text.split('\n')).toEqual([
      'refund-exactly-once (2):',
      '  order a: Refunded 2 times',
      '  order c: Charged 2 times',
      'orders-terminate (1):',
      '  order b: In CREATED for 40.0 s',
      'audited 1 event: 1 order, 1 product; 3 violations',
    ]);
  });
});
