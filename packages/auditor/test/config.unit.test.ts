import { redeliveryWindowMs } from '@orderflow/runtime';
import { audit, auditOptionsOf, auditorConfig } from '../src';
import { lines, stocked } from './saga-outcomes';

describe("the auditor's settings", () => {
  it('by default grant a reaction as long as the consumers may take to redeliver it', () => {
    const config = auditorConfig.parse({});
    // 30 s ack wait for a delivery lost with its process, then 250 ms + 1 s + 5 s + 15 s of backoff.
    expect(redeliveryWindowMs()).toBe(51_250);
    expect(config.AUDIT_GRACE_MS).toBe(redeliveryWindowMs());
  });

  it('do not report a refund that is still being retried on a live system', () => {
    const h = stocked().place('o', lines).reserve('o').capture('o');
    h.cancel('o', 'CUSTOMER_CANCELLED').release('o');
    // Payment's refund failed three times: 250 ms + 1 s + 5 s later it is waiting out 15 s more.
    const midRetry = h.after(20_000);

    const report = audit(h.events, auditOptionsOf(auditorConfig.parse({}), midRetry));

    expect(report.violations).toEqual([]);
  });
});
