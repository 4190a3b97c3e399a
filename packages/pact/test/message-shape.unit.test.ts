import { matchesFilter } from '@orderflow/contracts';
import { filterPattern } from '../src/message-shape';

describe('a consumer filter as a subject pattern', () => {
  it.each([
    ['order.events.order.*', 'order.events.order.ord-1', true],
    ['order.events.order.*', 'order.events.order.ord-1.extra', false],
    ['order.events.order.*', 'order.events.orderx.ord-1', false],
    ['order.events.>', 'order.events.order.ord-1', true],
    ['order.events.>', 'order.events', false],
    ['analytics.events.alert-rule.*', 'analytics.events.alert-rule.r-1', true],
  ])('%s admits %s: %s, as NATS does', (filter, subject, admitted) => {
    expect(new RegExp(filterPattern(filter)).test(subject)).toBe(admitted);
    expect(matchesFilter(filter, subject)).toBe(admitted);
  });
});
