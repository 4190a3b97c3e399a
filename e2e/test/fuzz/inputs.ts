import { authConfig } from '@orderflow/auth';
import { developmentToken } from '@orderflow/stack';
import { createHmac } from 'node:crypto';
import { seeded, type Seeded } from '../support/random';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signed with the system's own secret, so only the claims are wrong. */
const signed = (claims: Record<string, unknown>) => {
  const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
  const signature = createHmac('sha256', authConfig.parse(process.env).AUTH_JWT_SECRET)
    .update(unsigned)
    .digest('base64url');
  return `${unsigned}.${signature}`;
};

/** One malformed request: how it is sent. Every one is invalid by construction. */
export interface FuzzInput {
  readonly label: string;
  readonly body: string;
  readonly token: string | undefined;
}

const nasty = [
  '\u0000',
  '\r\nX-Injected: yes',
  '\u202e',
  '\ud800',
  '\u0007',
  '\u2066',
  '\u001b[31m',
];
const hugeString = (r: Seeded) => 'x'.repeat(r.pick([1_000, 70_000, 600_000]));

const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
const address = { name: 'Ada', line1: '1 Way', city: 'London', postalCode: 'N1', country: 'GB' };
const validInput = {
  lines: [{ sku: 'FUZZ-1', quantity: 1 }],
  paymentMethod: 'pm_card_visa',
  shippingAddress: address,
};

/** A placeOrder input with at least one field made invalid. */
const brokenInput = (r: Seeded): unknown => {
  const broken = { ...validInput, shippingAddress: { ...address } } as Record<string, unknown>;
  const field = r.pick([
    'name',
    'line1',
    'city',
    'postalCode',
    'country',
    'paymentMethod',
    'idempotencyKey',
    'quantity',
    'lines',
    'sku',
  ]);
  const badText = r.pick([...nasty.map((c) => `a${c}b`), hugeString(r), '']);
  switch (field) {
    case 'paymentMethod':
    case 'idempotencyKey':
      broken[field] = r.pick([badText, 42, { $ne: null }, ['pm']]);
      break;
    case 'quantity':
      broken.lines = [{ sku: 'FUZZ-1', quantity: r.pick([0, -1, 1e20, 1.5, 2 ** 31, 'many']) }];
      break;
    case 'lines':
      broken.lines = r.pick([
        [],
        null,
        'all',
        Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })),
      ]);
      break;
    case 'sku':
      broken.lines = [
        { sku: r.pick(['a.b', '*', '>', 'x'.repeat(65), `s${r.pick(nasty)}`]), quantity: 1 },
      ];
      break;
    default:
      (broken.shippingAddress as Record<string, unknown>)[field] =
        field === 'country' ? r.pick(['de', 'DEU', '', 'D\u0000']) : r.pick([badText, 7, null]);
  }
  return broken;
};

const deepQuery = (depth: number) =>
  `{ orders(first: 1) { edges { node { ${'lines { product { sku '.repeat(depth)}${'} } '.repeat(depth)} } } } }`;

const wideQuery = (aliases: number) =>
  `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: products(first: 100) { edges { node { sku } } }`).join(' ')} }`;

/** Tokens that must not pass: forged, malformed, with claims of the wrong shape. */
const badToken = (r: Seeded): string => {
  const claims = r.pick<Record<string, unknown>>([
    { sub: { $ne: null }, exp: 9_999_999_999 },
    { sub: 12, exp: 9_999_999_999 },
    { sub: 'x'.repeat(500), exp: 9_999_999_999 },
    { sub: `eve${r.pick(nasty)}`, exp: 9_999_999_999 },
    { sub: 'eve' },
  ]);
  return r.pick([
    'not-a-jwt',
    'a.b.c',
    `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"eve"}').toString('base64url')}.`,
    developmentToken('eve', { secret: 'another-secret-0123456789' }),
    signed(claims),
  ]);
};

/** `count` malformed requests, each sent with a valid customer token unless the token is the fault. */
export const fuzzInputs = (seed: number, count: number, token: string): FuzzInput[] => {
  const r = seeded(seed);
  const makers: (() => FuzzInput)[] = [
    () => ({
      label: 'placeOrder with a broken input',
      token,
      body: JSON.stringify({ query: PLACE, variables: { input: brokenInput(r) } }),
    }),
    () => ({
      label: 'a bad token',
      token: badToken(r),
      body: JSON.stringify({ query: PLACE, variables: { input: validInput } }),
    }),
    () => ({
      label: 'a body that is not a GraphQL request',
      token,
      body: r.pick([
        '{',
        '[]',
        'null',
        '"query"',
        '{"query": 42}',
        '{"query": {"$ne": 1}}',
        '{"variables": {}}',
        `{"query": "${'{'.repeat(5000)}"}`,
      ]),
    }),
    () => ({
      label: 'a document too deep',
      token,
      body: JSON.stringify({ query: deepQuery(r.pick([20, 200, 2000])) }),
    }),
    () => ({
      label: 'a document too wide',
      token,
      body: JSON.stringify({ query: wideQuery(r.pick([31, 200])) }),
    }),
    () => ({
      label: 'variables of the wrong type',
      token,
      body: JSON.stringify({
        query: PLACE,
        variables: r.pick([
          { input: 'x' },
          { input: [1] },
          'vars',
          [1, 2],
          { input: { lines: { $gt: 0 } } },
        ]),
      }),
    }),
    () => ({
      label: 'an unknown field or syntax error',
      token,
      body: JSON.stringify({
        query: r.pick([
          '{ nope }',
          'mutation { placeOrder }',
          '{ order(id: 1, id: 2) { id } }',
          'query {',
        ]),
      }),
    }),
    () => ({
      label: 'cancelOrder of a malformed id',
      token,
      body: JSON.stringify({
        query: 'mutation ($id: ID!) { cancelOrder(id: $id) { id } }',
        variables: { id: r.pick(['../x', 'a.b', '*', '\u0000', 'x'.repeat(5000)]) },
      }),
    }),
  ];
  return Array.from({ length: count }, () => r.pick(makers)());
};
