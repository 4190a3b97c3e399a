import { evaluate, type AlertCondition, type AlertRuntimeState } from '../src/domain/alert-state';

const T0 = 1_700_000_000_000;
const PENDING_MS = 60_000;

const above: AlertCondition = {
  comparison: 'ABOVE',
  threshold: 100,
  pendingMs: PENDING_MS,
  hysteresis: 10,
};
const below: AlertCondition = { ...above, comparison: 'BELOW' };

const ok: AlertRuntimeState = { state: 'OK', since: T0 - 1_000_000 };
const pending: AlertRuntimeState = { state: 'PENDING', since: T0 };
const firing: AlertRuntimeState = { state: 'FIRING', since: T0 };

describe('an OK rule', () => {
  it('goes PENDING on a breach, from when it was seen', () => {
    expect(evaluate(above, ok, { value: 101, at: T0 })).toEqual({
      state: pending,
      transition: { from: 'OK', to: 'PENDING', value: 101, at: T0 },
    });
  });

  it('stays OK at the threshold itself, which is no breach', () => {
    expect(evaluate(above, ok, { value: 100, at: T0 })).toEqual({ state: ok });
  });

  it('fires at once when the rule waits for nothing', () => {
    expect(evaluate({ ...above, pendingMs: 0 }, ok, { value: 101, at: T0 })).toEqual({
      state: firing,
      transition: { from: 'OK', to: 'FIRING', value: 101, at: T0 },
    });
  });
});

describe('a PENDING rule', () => {
  it('stays PENDING, with its start, while the breach is younger than pendingMs', () => {
    expect(evaluate(above, pending, { value: 150, at: T0 + PENDING_MS - 1 })).toEqual({
      state: pending,
    });
  });

  it('fires once the breach has held for exactly pendingMs', () => {
    const at = T0 + PENDING_MS;
    expect(evaluate(above, pending, { value: 150, at })).toEqual({
      state: { state: 'FIRING', since: at },
      transition: { from: 'PENDING', to: 'FIRING', value: 150, at },
    });
  });

  it('fires when the breach has held longer', () => {
    const at = T0 + 5 * PENDING_MS;
    expect(evaluate(above, pending, { value: 150, at }).transition).toEqual({
      from: 'PENDING',
      to: 'FIRING',
      value: 150,
      at,
    });
  });

  it('goes back to OK as soon as the value recovers, hysteresis or not', () => {
    const at = T0 + 1_000;
    expect(evaluate(above, pending, { value: 99, at })).toEqual({
      state: { state: 'OK', since: at },
      transition: { from: 'PENDING', to: 'OK', value: 99, at },
    });
  });
});

describe('a FIRING rule', () => {
  it.each([100, 95, 90.5])('stays FIRING at %d, inside the hysteresis band', (value) => {
    expect(evaluate(above, firing, { value, at: T0 + 1_000 })).toEqual({ state: firing });
  });

  it('stays FIRING while the breach goes on', () => {
    expect(evaluate(above, firing, { value: 500, at: T0 + 1_000 })).toEqual({ state: firing });
  });

  it.each([90, 0])('resolves to OK at %d, back past the threshold by the hysteresis', (value) => {
    const at = T0 + 1_000;
    expect(evaluate(above, firing, { value, at })).toEqual({
      state: { state: 'OK', since: at },
      transition: { from: 'FIRING', to: 'OK', value, at },
    });
  });

  it('resolves as soon as it is not breached when there is no hysteresis', () => {
    const rule = { ...above, hysteresis: 0 };
    expect(evaluate(rule, firing, { value: 100, at: T0 + 1 }).transition?.to).toBe('OK');
  });
});

describe('a BELOW rule, mirrored', () => {
  it('goes PENDING below the threshold, not at it', () => {
    expect(evaluate(below, ok, { value: 100, at: T0 })).toEqual({ state: ok });
    expect(evaluate(below, ok, { value: 99, at: T0 }).transition).toEqual({
      from: 'OK',
      to: 'PENDING',
      value: 99,
      at: T0,
    });
  });

  it('fires after pendingMs below, and goes back to OK from PENDING above', () => {
    expect(evaluate(below, pending, { value: 50, at: T0 + PENDING_MS }).state.state).toBe('FIRING');
    expect(evaluate(below, pending, { value: 100, at: T0 + 1 }).state.state).toBe('OK');
  });

  it('holds FIRING up to the band and resolves past it', () => {
    expect(evaluate(below, firing, { value: 109.5, at: T0 + 1 })).toEqual({ state: firing });
    expect(evaluate(below, firing, { value: 110, at: T0 + 1 }).transition).toEqual({
      from: 'FIRING',
      to: 'OK',
      value: 110,
      at: T0 + 1,
    });
  });
});
