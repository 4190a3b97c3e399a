import { DomainError } from '@orderflow/contracts';
import { scenario } from '@orderflow/runtime/testing';
import {
  alertRuleDecider,
  type AlertRuleCommand,
  type AlertRuleDefinition,
  type AlertRuleEvent,
  type AlertStatus,
} from '../src/domain/alert-rule';

const RULE = 'slow-checkout';
const T0 = Date.parse('2025-01-01T12:00:00.000Z');

const definition = (overrides: Partial<AlertRuleDefinition> = {}): AlertRuleDefinition => ({
  ruleId: RULE,
  name: 'Checkout is slow',
  metric: 'checkout_p95_ms',
  comparison: 'ABOVE',
  threshold: 2000,
  windowMs: 60_000,
  pendingMs: 120_000,
  hysteresis: 200,
  ...overrides,
});

const create = (overrides?: Partial<AlertRuleDefinition>): AlertRuleCommand => ({
  type: 'CreateAlertRule',
  definition: definition(overrides),
});
const change = (overrides?: Partial<AlertRuleDefinition>): AlertRuleCommand => ({
  type: 'ChangeAlertRule',
  definition: definition(overrides),
});
const remove: AlertRuleCommand = { type: 'DeleteAlertRule', ruleId: RULE };
const transition = (
  from: AlertStatus,
  to: AlertStatus,
  at = T0,
  value = 2500,
): AlertRuleCommand => ({ type: 'RecordTransition', ruleId: RULE, from, to, value, at });

const created = (overrides?: Partial<AlertRuleDefinition>): AlertRuleEvent => ({
  type: 'AlertRuleCreated',
  data: definition(overrides),
});
const changed = (overrides?: Partial<AlertRuleDefinition>): AlertRuleEvent => ({
  type: 'AlertRuleChanged',
  data: definition(overrides),
});
const deleted: AlertRuleEvent = { type: 'AlertRuleDeleted', data: { ruleId: RULE } };
const stateChanged = (from: AlertStatus, to: AlertStatus, at = T0): AlertRuleEvent => ({
  type: 'AlertStateChanged',
  data: { ruleId: RULE, from, to, value: 2500, at: new Date(at).toISOString() },
});

const given = scenario(alertRuleDecider);

const refusedWith = (error: unknown, code: DomainError['code'], message: RegExp) => {
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code, message: expect.stringMatching(message) as unknown });
};

describe('CreateAlertRule', () => {
  it('creates a rule, which starts OK', () => {
    expect(given().when(create())).toEqual([created()]);
    expect(given(created()).state()).toEqual({
      status: 'active',
      definition: definition(),
      alertState: 'OK',
    });
  });

  it('answers a retry with the same definition with nothing new', () => {
    expect(given(created()).when(create())).toEqual([]);
  });

  it('refuses another definition under an existing id', () => {
    refusedWith(given(created()).refusal(create({ threshold: 3000 })), 'CONFLICT', /already/);
  });

  it('creates a deleted rule anew, back at OK', () => {
    const history = [created(), stateChanged('OK', 'FIRING'), deleted];
    expect(given(...history).when(create({ threshold: 3000 }))).toEqual([
      created({ threshold: 3000 }),
    ]);
    expect(given(...history, created({ threshold: 3000 })).state()).toEqual({
      status: 'active',
      definition: definition({ threshold: 3000 }),
      alertState: 'OK',
    });
  });

  it.each([
    ['windowMs', { windowMs: 10 }],
    ['pendingMs', { pendingMs: -1 }],
    ['hysteresis', { hysteresis: -5 }],
    ['threshold', { threshold: Number.NaN }],
    ['ruleId', { ruleId: 'no spaces' }],
    ['name', { name: '' }],
  ])('refuses a bad %s as BAD_USER_INPUT naming it', (field, overrides) => {
    refusedWith(given().refusal(create(overrides)), 'BAD_USER_INPUT', new RegExp(`^${field}: `));
  });

  it('names every bad field at once', () => {
    const error = given().refusal(create({ windowMs: 10, pendingMs: -1 }));
    refusedWith(error, 'BAD_USER_INPUT', /windowMs: .*; pendingMs: /);
  });
});

describe('ChangeAlertRule', () => {
  it('records the new definition', () => {
    expect(given(created()).when(change({ threshold: 3000 }))).toEqual([
      changed({ threshold: 3000 }),
    ]);
  });

  it('keeps a FIRING rule FIRING, for the evaluator to judge by the new definition', () => {
    const history = [created(), stateChanged('OK', 'FIRING'), changed({ threshold: 3000 })];
    expect(given(...history).state()).toEqual({
      status: 'active',
      definition: definition({ threshold: 3000 }),
      alertState: 'FIRING',
      alertSince: T0,
    });
  });

  it('records nothing for the definition the rule already has', () => {
    expect(
      given(created(), changed({ threshold: 3000 })).when(change({ threshold: 3000 })),
    ).toEqual([]);
  });

  it('refuses a rule that does not exist', () => {
    refusedWith(given().refusal(change()), 'NOT_FOUND', /does not exist/);
  });

  it('refuses a deleted rule', () => {
    refusedWith(given(created(), deleted).refusal(change()), 'NOT_FOUND', /was deleted/);
  });

  it('refuses a bad definition as BAD_USER_INPUT', () => {
    refusedWith(
      given(created()).refusal(change({ pendingMs: 0.5 })),
      'BAD_USER_INPUT',
      /pendingMs/,
    );
  });
});

describe('DeleteAlertRule', () => {
  it('deletes a rule, keeping what it was', () => {
    expect(given(created()).when(remove)).toEqual([deleted]);
    expect(given(created(), deleted).state()).toEqual({
      status: 'deleted',
      definition: definition(),
      alertState: 'OK',
    });
  });

  it('records nothing for a rule already deleted', () => {
    expect(given(created(), deleted).when(remove)).toEqual([]);
  });

  it('refuses a rule that never existed', () => {
    refusedWith(given().refusal(remove), 'NOT_FOUND', /does not exist/);
  });
});

describe('RecordTransition', () => {
  it('records a move from the state the rule is in, with its time as ISO', () => {
    expect(given(created()).when(transition('OK', 'PENDING'))).toEqual([
      stateChanged('OK', 'PENDING'),
    ]);
    expect(given(created(), stateChanged('OK', 'PENDING')).state()).toMatchObject({
      alertState: 'PENDING',
      alertSince: T0,
    });
  });

  it('refuses a stale move from a state the rule has left', () => {
    const history = [created(), stateChanged('OK', 'PENDING', T0)];
    const error = given(...history).refusal(transition('OK', 'FIRING', T0 + 1000));
    refusedWith(error, 'CONFLICT', /is PENDING, not OK/);
  });

  it('answers a retry of the move last recorded with nothing new', () => {
    const history = [created(), stateChanged('OK', 'PENDING', T0)];
    expect(given(...history).when(transition('OK', 'PENDING', T0))).toEqual([]);
  });

  it('refuses a rule that does not exist or was deleted', () => {
    refusedWith(given().refusal(transition('OK', 'PENDING')), 'NOT_FOUND', /does not exist/);
    refusedWith(
      given(created(), deleted).refusal(transition('OK', 'PENDING')),
      'NOT_FOUND',
      /was deleted/,
    );
  });

  it('refuses a move that goes nowhere', () => {
    refusedWith(
      given(created()).refusal(transition('OK', 'OK')),
      'BAD_USER_INPUT',
      /changes the state/,
    );
  });

  it('refuses a value or a time that is not one', () => {
    const infinite = transition('OK', 'PENDING', T0, Number.POSITIVE_INFINITY);
    refusedWith(given(created()).refusal(infinite), 'BAD_USER_INPUT', /^value: /);
    const timeless = transition('OK', 'PENDING', Number.NaN);
    refusedWith(given(created()).refusal(timeless), 'BAD_USER_INPUT', /^at: /);
  });
});
